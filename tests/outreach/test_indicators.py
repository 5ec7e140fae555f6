"""Outreach indicators: registered on start-up and rebuilt from posts and courses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.analytics import registry
from safeward.analytics.queries import series, total
from safeward.analytics.registry import Indicator
from safeward.analytics.rollups import rebuild_indicator
from tests.outreach import factories as of

CODES = [
    "outreach.social_reach",
    "outreach.courses",
    "outreach.course_participants",
    "outreach.course_completions",
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
    assert indicator.app == "outreach"
    assert indicator.is_stored
    assert str(indicator.name) and str(indicator.unit_of_measure)


def test_session_indicators_stay_single() -> None:
    codes = [i.code for i in registry.all_indicators()]
    assert codes.count("outreach.sessions") == 1
    assert codes.count("outreach.attendees") == 1


def test_social_reach_sum_by_platform(unit: Any) -> None:
    of.post(unit, reach=1200)
    of.post(unit, reach=300)
    of.post(unit, platform="zalo", url="https://zalo.me/p/1", reach=500)
    assert _rebuilt("outreach.social_reach", unit) == 2000
    assert _rebuilt("outreach.social_reach", unit, by="platform") == {
        "facebook": 1500,
        "zalo": 500,
    }


def test_courses_counted(unit: Any) -> None:
    of.course(unit)
    of.course(unit)
    assert _rebuilt("outreach.courses", unit) == 2


def test_participants_and_completions(unit: Any) -> None:
    course = of.course(unit)
    of.participant(course, completed=True)
    of.participant(course, completed=True)
    of.participant(course)
    assert _rebuilt("outreach.course_participants", unit) == 3
    by_completed = _rebuilt("outreach.course_participants", unit, by="completed")
    assert by_completed == {"yes": 2, "no": 1}
    assert _rebuilt("outreach.course_completions", unit) == 2


def test_no_records_no_value(unit: Any) -> None:
    for code in CODES:
        assert _rebuilt(code, unit) == 0, code
