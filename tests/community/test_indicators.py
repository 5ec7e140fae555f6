"""Community indicators: registered on start-up and rebuilt from the groups' records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.analytics import registry
from safeward.analytics.queries import series, total
from safeward.analytics.registry import Aggregation, Indicator
from safeward.analytics.rollups import rebuild_indicator
from tests.community import factories as cf

CODES = [
    "community.groups",
    "community.members",
    "community.households_covered",
    "community.patrol_hours",
    "community.movement_models",
    "community.neighbourhoods_assessed",
    "community.neighbourhoods_fortress",
]
START, END = dt.date(2015, 1, 1), dt.date(2026, 12, 31)

pytestmark = pytest.mark.django_db


def _indicator(code: str) -> Indicator:
    indicator = registry.get(code)
    assert indicator is not None, code
    return indicator


def _rebuilt(code: str, unit: Any, by: str | None = None) -> Any:
    indicator = _indicator(code)
    rebuild_indicator(indicator)
    if by:
        return {k[1]: v for k, v in series(indicator, unit, START, END, "year", by=by).items()}
    return total(indicator, unit, START, END)


@pytest.fixture
def unit(demo_units: dict[str, Any]) -> Any:
    return demo_units["bai_chay_khu"]


@pytest.mark.parametrize("code", CODES)
def test_indicator_is_registered(code: str) -> None:
    indicator = _indicator(code)
    assert indicator.app == "community"
    assert indicator.is_stored
    assert str(indicator.name) and str(indicator.unit_of_measure)


def test_groups_counted_by_type_and_status(unit: Any) -> None:
    cf.GroupFactory(unit=unit, group_type="veterans")
    cf.GroupFactory(unit=unit, group_type="veterans", status="dissolved")
    cf.GroupFactory(unit=unit, group_type="clan")
    assert _rebuilt("community.groups", unit) == 3
    assert _rebuilt("community.groups", unit, by="type") == {"veterans": 2, "clan": 1}
    assert _rebuilt("community.groups", unit, by="status") == {"active": 2, "dissolved": 1}


def test_active_members_by_role(unit: Any) -> None:
    group = cf.GroupFactory(unit=unit)
    cf.member(group, role="leader")
    cf.member(group)
    cf.member(group)
    cf.member(group, left_on=group.founded_on + dt.timedelta(days=30))
    assert _rebuilt("community.members", unit) == 3
    assert _rebuilt("community.members", unit, by="role") == {"leader": 1, "member": 2}


def test_households_covered_sum_active_groups(unit: Any) -> None:
    cf.GroupFactory(unit=unit, group_type="inter_family", households_covered=40)
    cf.GroupFactory(unit=unit, group_type="clan", households_covered=25)
    cf.GroupFactory(unit=unit, group_type="clan", households_covered=99, status="dissolved")
    assert _rebuilt("community.households_covered", unit) == 65
    by_type = _rebuilt("community.households_covered", unit, by="type")
    assert by_type == {"inter_family": 40, "clan": 25}


def test_patrol_hours_sum_by_group_type(unit: Any) -> None:
    group = cf.GroupFactory(unit=unit, group_type="civil_defence")
    cf.patrol(group, hours="2.50")
    cf.patrol(group, hours="1.25", date=group.founded_on + dt.timedelta(days=1))
    assert _rebuilt("community.patrol_hours", unit) == pytest.approx(3.75)
    assert _rebuilt("community.patrol_hours", unit, by="type") == {"civil_defence": 3.75}


def test_movement_models_by_theme_and_status(unit: Any) -> None:
    cf.movement_model(unit, theme="family", status="running")
    cf.movement_model(unit, theme="family")
    cf.movement_model(unit, theme="cameras", status="running")
    assert _rebuilt("community.movement_models", unit) == 3
    by_theme = _rebuilt("community.movement_models", unit, by="theme")
    assert by_theme == {"family": 2, "cameras": 1}
    by_status = _rebuilt("community.movement_models", unit, by="status")
    assert by_status == {"running": 2, "piloted": 1}


def test_neighbourhoods_assessed_and_at_fortress_level(unit: Any) -> None:
    fortress = cf.assessment(unit)
    fortress.result = "fortress"
    fortress.save(update_fields=["result"])
    cf.assessment(unit)
    assert _indicator("community.neighbourhoods_assessed").aggregation == Aggregation.DISTINCT
    assert _rebuilt("community.neighbourhoods_assessed", unit) == 1
    assert _rebuilt("community.neighbourhoods_fortress", unit) == 1
    by_result = _rebuilt("community.neighbourhoods_assessed", unit, by="result")
    assert by_result == {"fortress": 1, "progressing": 1}


def test_no_records_no_value(unit: Any) -> None:
    for code in CODES:
        assert _rebuilt(code, unit) in (0, None), code
