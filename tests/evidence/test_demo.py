from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from safeward.accounts.models import User
from safeward.analytics.freshness import rollups_catch_up
from safeward.analytics.public import public_counts
from safeward.analytics.registry import Period
from safeward.cameras import demo as camera_demo
from safeward.demo.registry import DemoContext
from safeward.evidence import demo
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.stats import FIRST_DAY, ward_request_stats

pytestmark = pytest.mark.django_db


def test_demo_requests_fill_the_public_statistics(demo_units: dict[str, Any]) -> None:
    ctx = DemoContext(seed=3, rng=random.Random(3), log=lambda _m: None)
    ctx.units = demo_units
    names = ["province_admin", "ward_officer", "front_member"]
    ctx.users = {n: User.objects.get(username=n) for n in names}
    camera_demo.populate(ctx)
    demo.populate(ctx)
    requests = FootageRequest.objects.all()
    assert requests.count() >= 4
    assert EvidenceItem.objects.exists()
    rollups_catch_up()
    ward = requests.first().ward
    today = timezone.localdate()
    sent = public_counts("evidence.requests_sent", ward, FIRST_DAY, today, Period.MONTH)
    declined = public_counts("evidence.requests_declined", ward, FIRST_DAY, today, Period.MONTH)
    assert sum(sent.values()) >= 1 and sum(declined.values()) >= 1
    rows = ward_request_stats(ward)
    published = [r[c] for r in rows for c in ("sent", "answered", "declined")]
    assert rows and all(v is None or v == 0 or v >= 5 for v in published)
