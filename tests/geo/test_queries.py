from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.geo.queries import successor_on, successors_on, units_composing

pytestmark = pytest.mark.django_db


def test_cua_ong_is_made_of_cam_thinh_and_its_neighbours_in_2024(
    demo_units: dict[str, Any],
) -> None:
    parts = units_composing(demo_units["cua_ong"], dt.date(2024, 6, 1))
    names = {w.unit.short_name for w in parts}
    assert "Cẩm Thịnh" in names
    assert all(w.unit.valid_to == dt.date(2025, 6, 30) for w in parts)


def test_a_current_unit_is_made_of_itself_today(demo_units: dict[str, Any]) -> None:
    parts = units_composing(demo_units["cua_ong"], dt.date(2026, 1, 1))
    assert [(w.unit, w.share) for w in parts] == [(demo_units["cua_ong"], 1.0)]


def test_cam_thinh_is_succeeded_by_cua_ong(demo_units: dict[str, Any]) -> None:
    assert successor_on(demo_units["cam_thinh"], dt.date(2025, 7, 1)) == demo_units["cua_ong"]


def test_a_neighbourhood_follows_its_ward_through_the_reorganisation(
    demo_units: dict[str, Any],
) -> None:
    khu1 = demo_units["cam_thinh_khu1"]
    after = successors_on(khu1, dt.date(2025, 8, 1))
    assert [w.unit for w in after] == [demo_units["cam_thinh_khu1_2025"]]
    assert after[0].unit.parent == demo_units["cua_ong"]


def test_a_split_ward_passes_shares_that_sum_to_one() -> None:
    from django.db.models import Count

    from safeward.geo.models import AdminUnit, UnitSuccession

    split = (
        UnitSuccession.objects.filter(predecessor__level="ward")
        .values("predecessor_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("predecessor_id")
        .first()
    )
    assert split is not None
    ward = AdminUnit.objects.get(pk=split["predecessor_id"])
    shares = successors_on(ward, dt.date(2025, 7, 1))
    assert len(shares) == split["n"]
    assert abs(sum(w.share for w in shares) - 1.0) < 1e-9
