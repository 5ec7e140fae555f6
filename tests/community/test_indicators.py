"""Community indicators: registered on start-up and rebuilt from the groups' records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.analytics.registry import Aggregation
from tests.community import factories as cf
from tests.indicator_helpers import assert_registered, indicator, rebuilt

CODES = [
    "community.groups",
    "community.members",
    "community.households_covered",
    "community.patrol_hours",
    "community.movement_models",
    "community.neighbourhoods_assessed",
    "community.neighbourhoods_fortress",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(demo_units: dict[str, Any]) -> Any:
    return demo_units["bai_chay_khu"]


@pytest.mark.parametrize("code", CODES)
def test_indicator_is_registered(code: str) -> None:
    assert_registered(code, "community")


def test_groups_counted_by_type_and_status(unit: Any) -> None:
    cf.GroupFactory(unit=unit, group_type="veterans")
    cf.GroupFactory(unit=unit, group_type="veterans", status="dissolved")
    cf.GroupFactory(unit=unit, group_type="clan")
    assert rebuilt("community.groups", unit) == 3
    assert rebuilt("community.groups", unit, by="type") == {"veterans": 2, "clan": 1}
    assert rebuilt("community.groups", unit, by="status") == {"active": 2, "dissolved": 1}


def test_active_members_by_role(unit: Any) -> None:
    group = cf.GroupFactory(unit=unit)
    cf.member(group, role="leader")
    cf.member(group)
    cf.member(group)
    cf.member(group, left_on=group.founded_on + dt.timedelta(days=30))
    assert rebuilt("community.members", unit) == 3
    assert rebuilt("community.members", unit, by="role") == {"leader": 1, "member": 2}


def test_households_covered_sum_active_groups(unit: Any) -> None:
    cf.GroupFactory(unit=unit, group_type="inter_family", households_covered=40)
    cf.GroupFactory(unit=unit, group_type="clan", households_covered=25)
    cf.GroupFactory(unit=unit, group_type="clan", households_covered=99, status="dissolved")
    assert rebuilt("community.households_covered", unit) == 65
    by_type = rebuilt("community.households_covered", unit, by="type")
    assert by_type == {"inter_family": 40, "clan": 25}


def test_patrol_hours_sum_by_group_type(unit: Any) -> None:
    group = cf.GroupFactory(unit=unit, group_type="civil_defence")
    cf.patrol(group, hours="2.50")
    cf.patrol(group, hours="1.25", date=group.founded_on + dt.timedelta(days=1))
    assert rebuilt("community.patrol_hours", unit) == pytest.approx(3.75)
    assert rebuilt("community.patrol_hours", unit, by="type") == {"civil_defence": 3.75}


def test_movement_models_by_theme_and_status(unit: Any) -> None:
    cf.movement_model(unit, theme="family", status="running")
    cf.movement_model(unit, theme="family")
    cf.movement_model(unit, theme="cameras", status="running")
    assert rebuilt("community.movement_models", unit) == 3
    by_theme = rebuilt("community.movement_models", unit, by="theme")
    assert by_theme == {"family": 2, "cameras": 1}
    by_status = rebuilt("community.movement_models", unit, by="status")
    assert by_status == {"running": 2, "piloted": 1}


def test_neighbourhoods_assessed_and_at_fortress_level(unit: Any) -> None:
    fortress = cf.assessment(unit)
    fortress.result = "fortress"
    fortress.save(update_fields=["result"])
    cf.assessment(unit)
    assert indicator("community.neighbourhoods_assessed").aggregation == Aggregation.DISTINCT
    assert rebuilt("community.neighbourhoods_assessed", unit) == 1
    assert rebuilt("community.neighbourhoods_fortress", unit) == 1
    by_result = rebuilt("community.neighbourhoods_assessed", unit, by="result")
    assert by_result == {"fortress": 1, "progressing": 1}


def test_no_records_no_value(unit: Any) -> None:
    for code in CODES:
        assert rebuilt(code, unit) in (0, None), code


def test_a_recorded_patrol_refreshes_only_its_year(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    import datetime as dt

    from safeward.analytics.freshness import rollups_catch_up
    from safeward.community import services

    rollups_catch_up()  # everything built; watermarks at the head of the audit trail
    group = cf.led_group(demo_units["cam_thinh_khu1_2025"])
    rollups_catch_up()
    services.patrol_log(
        personas["ward_officer"],
        group=group,
        date=dt.date(2025, 9, 6),
        start_time=dt.time(19, 0),
        end_time=dt.time(22, 0),
        area="Tuyến đường ven biển",
    )
    done = rollups_catch_up()
    assert done["community.patrol_hours"] == "2025"
    assert "community.groups" not in done  # watches groups, not patrols
    assert "reports.received" not in done
    from safeward.analytics.queries import total
    from tests.indicator_helpers import END, START, indicator

    assert total(indicator("community.patrol_hours"), demo_units["cua_ong"], START, END) == 3.0


def test_grouping_in_sql_writes_what_the_python_path_writes(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from dataclasses import replace

    from safeward.analytics.rollups import rebuild_indicator
    from tests.analytics.conftest import rollup_snapshot
    from tests.outreach import factories as of

    for unit in (demo_units["cam_thinh_khu1_2025"], demo_units["bai_chay_khu"]):
        group = cf.led_group(unit, group_type="veterans", households_covered=25)
        cf.patrol(group)
        cf.member(group, role="deputy")
        course = of.course(unit)
        of.participant(course, completed=True)
        of.participant(course, completed=False)
        of.post(unit, reach=900)
    codes = [
        "community.groups",
        "community.members",
        "community.households_covered",
        "community.patrol_hours",
        "outreach.social_reach",
        "outreach.courses",
        "outreach.course_participants",
        "outreach.course_completions",
    ]
    for code in codes:
        ind = indicator(code)
        assert ind.aggregates_in_sql, code
        assert rebuild_indicator(ind) > 0, code
        in_sql = rollup_snapshot()
        rebuild_indicator(replace(ind, fact_query=None))
        assert rollup_snapshot() == in_sql, code
