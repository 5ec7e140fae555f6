from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeward.cameras import services
from safeward.cameras.coverage import unit_coverage, units_coverage, units_on
from safeward.cameras.models import Camera
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
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


def test_a_2025_ward_counts_what_was_recorded_against_the_units_it_was_formed_from(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    """Cửa Ông (2025) was formed from Cẩm Thịnh, Cẩm Phú, Cẩm Sơn and the old Cửa Ông."""
    officer, front = personas["ward_officer"], personas["front_member"]
    cam_thinh, cua_ong = demo_units["cam_thinh"], demo_units["cua_ong"]
    khu1, khu1_2025 = demo_units["cam_thinh_khu1"], demo_units["cam_thinh_khu1_2025"]
    khu2 = AdminUnit.objects.get(parent=cam_thinh, short_name="Khu 2")
    khu3 = AdminUnit.objects.get(parent=cam_thinh, short_name="Khu 3")
    make_camera(officer, khu1)
    make_camera(officer, khu2)
    make_camera(officer, khu3, status="broken")
    make_camera(officer, khu1_2025, installed_on=dt.date(2025, 9, 1))
    make_camera(
        personas["province_admin"], demo_units["bai_chay_khu"], installed_on=dt.date(2025, 9, 1)
    )
    old = make_campaign(front, cam_thinh, starts_on=dt.date(2024, 1, 1), ends_on=None)
    services.contribution_record(
        front, campaign=old, amount_vnd=3_000_000, date=dt.date(2024, 2, 1), donor_name="A"
    )
    wrong = services.contribution_record(
        front, campaign=old, amount_vnd=9_000_000, date=dt.date(2024, 2, 2), donor_name="B"
    )
    services.contribution_void(front, wrong, reason="Nhập nhầm")
    services.expense_record(
        front, campaign=old, kind="cameras", amount_vnd=1_000_000, date=dt.date(2024, 3, 1)
    )
    new = make_campaign(front, cua_ong, starts_on=dt.date(2025, 8, 1), ends_on=None)
    services.contribution_record(
        front, campaign=new, amount_vnd=2_000_000, date=dt.date(2025, 8, 5), donor_name="C"
    )

    ward = unit_coverage(cua_ong)

    assert (ward.cameras_total, ward.cameras_working) == (4, 3)
    assert ward.label == "2/34"  # Khu 1 counted once across the reform, Khu 2; Khu 3 is broken
    assert (ward.raised_vnd, ward.spent_vnd, ward.balance_vnd) == (5_000_000, 1_000_000, 4_000_000)
    hoods = AdminUnit.objects.filter(parent=cua_ong, level=UnitLevel.NEIGHBOURHOOD)
    residents = sum(hoods.values_list("population", flat=True))
    assert ward.population == residents
    assert ward.per_1000_residents == round(3 * 1000 / residents, 2)
    assert ward.per_km2 == round(3 / cua_ong.area_km2, 2)
    legacy = unit_coverage(cam_thinh)
    assert (legacy.cameras_working, legacy.label, legacy.raised_vnd) == (2, "2/11", 3_000_000)
    province = unit_coverage(demo_units["province"])
    current = AdminUnit.objects.filter(
        path__startswith=demo_units["province"].path,
        level=UnitLevel.NEIGHBOURHOOD,
        valid_to__isnull=True,
    ).count()
    assert (province.cameras_working, province.neighbourhoods_total) == (4, current)
    assert province.neighbourhoods_covered == 3
    hidden = unit_coverage(cua_ong, Camera.objects.restrict(personas["other_ward_officer"]))
    assert hidden.cameras_total == 0


def test_a_camera_follows_its_neighbourhood_forward_to_the_day_asked(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    khu1 = demo_units["cam_thinh_khu1"]
    mapped = units_on([khu1.pk, demo_units["cam_thinh"].pk], dt.date(2026, 1, 1))
    assert mapped[khu1.pk] == demo_units["cam_thinh_khu1_2025"]
    assert mapped[demo_units["cam_thinh"].pk] == demo_units["cua_ong"]
    assert units_on([khu1.pk], dt.date(2024, 1, 1))[khu1.pk] == khu1


def test_coverage_page_shows_the_2025_ward_with_its_history(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    page = client_for("ward_officer").get(
        reverse("cameras:coverage") + f"?unit={demo_units['cua_ong'].pk}"
    )
    assert page.status_code == 200
    assert page.context["coverage"].label == "1/34"
    children = {c.unit.pk: c for c in page.context["children"]}
    assert len(children) == 34
    assert children[demo_units["cam_thinh_khu1_2025"].pk].cameras_working == 1


def test_children_are_read_together_with_the_same_figures_as_one_by_one(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    make_camera(officer, demo_units["cam_thinh_khu1"])
    make_camera(officer, AdminUnit.objects.get(parent=demo_units["cam_thinh"], short_name="Khu 4"))
    cua_ong = demo_units["cua_ong"]
    kids = list(cua_ong.children.order_by("code"))
    together = units_coverage(kids, day=dt.date(2026, 11, 1))
    alone = [unit_coverage(k, day=dt.date(2026, 11, 1)) for k in kids]

    def figures(c: Any) -> tuple[Any, ...]:
        return (c.unit.pk, c.cameras_total, c.cameras_working, c.label, c.population)

    assert [figures(c) for c in together] == [figures(c) for c in alone]
    assert sum(c.cameras_working for c in together) == 2


def test_the_province_coverage_page_reads_its_wards_in_a_fixed_number_of_queries(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    province = demo_units["province"]
    client = client_for("province_admin")
    url = reverse("cameras:coverage") + f"?unit={province.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    wards = province.children.filter(valid_to__isnull=True).count()
    assert len(page.context["children"]) == wards > 50
    assert len(queries) <= 40
