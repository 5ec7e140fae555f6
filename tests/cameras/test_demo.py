from __future__ import annotations

import random
from typing import Any

import pytest
from django.db.models import Sum

from safeward.accounts.models import User
from safeward.cameras import demo
from safeward.cameras.coverage import unit_coverage
from safeward.cameras.models import Camera, Campaign, Contribution
from safeward.demo.registry import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_builds_the_mission_figures(demo_units: dict[str, Any]) -> None:
    ctx = DemoContext(seed=7, rng=random.Random(7), log=lambda _m: None)
    ctx.units = demo_units
    ctx.users = {"province_admin": User.objects.get(username="province_admin")}
    demo.populate(ctx)
    thinh = unit_coverage(demo_units["cam_thinh"])
    assert thinh.cameras_total == 190 and thinh.label.endswith("/11")
    assert thinh.neighbourhoods_covered == 11
    assert thinh.raised_vnd > 200_000_000
    assert Camera.objects.filter(unit__path__startswith=demo_units["cam_pha"].path).count() == 790
    assert unit_coverage(demo_units["cam_pha"]).neighbourhoods_total == 113
    total = Contribution.objects.aggregate(s=Sum("amount_vnd"))["s"]
    assert total > thinh.raised_vnd
    for campaign in Campaign.objects.all():
        raised = campaign.contributions.aggregate(s=Sum("amount_vnd"))["s"]
        spent = campaign.expenses.aggregate(s=Sum("amount_vnd"))["s"]
        assert raised >= spent, campaign
