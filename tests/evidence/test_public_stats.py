"""Public footage request statistics: a single decline is never published."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeward.analytics.freshness import rollups_catch_up
from safeward.analytics.public import public_counts
from safeward.analytics.registry import Period
from safeward.evidence import services
from safeward.evidence.models import FootageRequest


def _declined_once(personas: dict[str, Any], footage_request: FootageRequest) -> None:
    target = footage_request.targets.get()
    services.target_respond(personas["resident"], target, response="declined")
    rollups_catch_up()


def test_one_decline_is_counted_but_not_published(
    client: Client,
    personas: dict[str, Any],
    footage_request: FootageRequest,
    approved: dict[int, str],
) -> None:
    _declined_once(personas, footage_request)
    today = timezone.localdate()
    found = public_counts(
        "evidence.requests_declined", footage_request.ward, dt.date(1990, 1, 1), today, Period.MONTH
    )
    assert sum(found.values()) == 1
    html = client.get(reverse("evidence:stats")).content.decode()
    numbers = re.findall(r'class="num">([^<]*)<', html)
    assert numbers and "1" not in numbers
    assert numbers.count("<5") == 0 and html.count(">&lt;5<") + html.count("><5<") == 3
