"""Outreach indicators: registered on start-up and rebuilt from posts and courses."""

from __future__ import annotations

from typing import Any

import pytest

from safeward.analytics import registry
from tests.indicator_helpers import assert_registered, rebuilt
from tests.outreach import factories as of

CODES = [
    "outreach.social_reach",
    "outreach.courses",
    "outreach.course_participants",
    "outreach.course_completions",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(demo_units: dict[str, Any]) -> Any:
    return demo_units["bai_chay_khu"]


@pytest.mark.parametrize("code", CODES)
def test_indicator_is_registered(code: str) -> None:
    assert_registered(code, "outreach")


def test_session_indicators_stay_single() -> None:
    codes = [i.code for i in registry.all_indicators()]
    assert codes.count("outreach.sessions") == 1
    assert codes.count("outreach.attendees") == 1


def test_social_reach_sum_by_platform(unit: Any) -> None:
    of.post(unit, reach=1200)
    of.post(unit, reach=300)
    of.post(unit, platform="zalo", url="https://zalo.me/p/1", reach=500)
    assert rebuilt("outreach.social_reach", unit) == 2000
    assert rebuilt("outreach.social_reach", unit, by="platform") == {
        "facebook": 1500,
        "zalo": 500,
    }


def test_courses_counted(unit: Any) -> None:
    of.course(unit)
    of.course(unit)
    assert rebuilt("outreach.courses", unit) == 2


def test_participants_and_completions(unit: Any) -> None:
    course = of.course(unit)
    of.participant(course, completed=True)
    of.participant(course, completed=True)
    of.participant(course)
    assert rebuilt("outreach.course_participants", unit) == 3
    by_completed = rebuilt("outreach.course_participants", unit, by="completed")
    assert by_completed == {"yes": 2, "no": 1}
    assert rebuilt("outreach.course_completions", unit) == 2


def test_no_records_no_value(unit: Any) -> None:
    for code in CODES:
        assert rebuilt(code, unit) == 0, code


def test_completion_share_is_completions_over_participants(unit: Any) -> None:
    from safeward.analytics.queries import total
    from tests.indicator_helpers import END, START, indicator

    course = of.course(unit)
    for completed in (True, True, True, False):
        of.participant(course, completed=completed)
    rebuilt("outreach.course_participants", unit)
    rebuilt("outreach.course_completions", unit)
    share = total(indicator("outreach.course_completion_share"), unit, START, END)
    assert share == pytest.approx(0.75)
