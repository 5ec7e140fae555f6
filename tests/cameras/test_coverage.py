from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.cameras import services
from safeward.cameras.coverage import unit_coverage
from safeward.cameras.models import Camera
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db


def test_coverage_rolls_up_cameras_neighbourhoods_and_money(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    officer, front = personas["ward_officer"], personas["front_member"]
    khu1 = demo_units["cam_thinh_khu1"]
    make_camera(officer, khu1)
    make_camera(officer, khu1, status="broken")
    campaign = make_campaign(front, khu1)
    services.contribution_record(
        front, campaign=campaign, amount_vnd=3_000_000, date=dt.date(2024, 2, 1), donor_name="A"
    )
    services.expense_record(
        front, campaign=campaign, kind="cameras", amount_vnd=1_200_000, date=dt.date(2024, 3, 1)
    )
    ward = unit_coverage(demo_units["cam_thinh"])
    city = unit_coverage(demo_units["cam_pha"])
    assert (ward.cameras_total, ward.cameras_working) == (2, 1)
    assert ward.label == "1/11"
    assert (ward.raised_vnd, ward.spent_vnd, ward.balance_vnd) == (3_000_000, 1_200_000, 1_800_000)
    assert city.cameras_working == 1 and city.neighbourhoods_total == 113
    assert unit_coverage(demo_units["bai_chay"]).cameras_total == 0


def test_health_list_holds_broken_and_unverified_cameras(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    officer, khu1 = personas["ward_officer"], demo_units["cam_thinh_khu1"]
    fresh = make_camera(officer, khu1, last_verified=dt.date(2026, 11, 20))
    stale = make_camera(officer, khu1, last_verified=dt.date(2026, 1, 1))
    broken = make_camera(officer, khu1, status="broken", last_verified=dt.date(2026, 11, 20))
    ids = set(
        Camera.objects.needing_attention(90, today=dt.date(2026, 11, 29)).values_list(
            "id", flat=True
        )
    )
    assert {stale.pk, broken.pk} <= ids and fresh.pk not in ids
