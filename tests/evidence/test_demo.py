from __future__ import annotations

import random
from typing import Any

import pytest

from safeward.accounts.models import User
from safeward.analytics.freshness import rollups_catch_up
from safeward.cameras import demo as camera_demo
from safeward.demo.registry import DemoContext
from safeward.evidence import demo
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.stats import ward_request_stats

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
    rows = ward_request_stats(requests.first().ward)
    assert sum(r["sent"] for r in rows) >= 1 and sum(r["declined"] for r in rows) >= 1
