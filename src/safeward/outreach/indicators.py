"""Indicators over propaganda sessions, social-media posts and training courses.

Found by :func:`safeward.analytics.registry.autodiscover` when the analytics app
starts, which registers what :func:`indicators` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import Aggregation, Fact, FactQuery, Indicator, choice_labels
from safeward.outreach import choices
from safeward.outreach.models import Course, Participant, Session, SocialPost

YES, NO = "yes", "no"


def _sessions(start: dt.date, end: dt.date) -> Iterator[tuple[Any, ...]]:
    return (
        Session.objects.filter(date__gte=start, date__lte=end, status="held")
        .values_list("unit_id", "date", "topic", "form", "attendance")
        .iterator(chunk_size=5000)
    )


def sessions_held(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, topic, form, _attendance in _sessions(start, end):
        yield Fact(unit_id, day, {"topic": topic, "form": form})


def session_attendance(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, topic, form, attendance in _sessions(start, end):
        yield Fact(unit_id, day, {"topic": topic, "form": form}, float(attendance))


def session_labels(dimension: str) -> dict[str, str]:
    found = {"topic": choices.Topic, "form": choices.SessionForm}.get(dimension)
    return choice_labels(found) if found else {}


def social_reach(start: dt.date, end: dt.date) -> FactQuery:
    rows = SocialPost.objects.filter(date__gte=start, date__lte=end)
    return FactQuery(rows, unit="unit_id", day="date", dims={"platform": "platform"}, value="reach")


def courses_started(start: dt.date, end: dt.date) -> FactQuery:
    rows = Course.objects.filter(start_date__gte=start, start_date__lte=end)
    return FactQuery(rows, unit="unit_id", day="start_date")


def _participants(start: dt.date, end: dt.date, *, completed_only: bool) -> FactQuery:
    found = Participant.objects.filter(course__start_date__gte=start, course__start_date__lte=end)
    if completed_only:
        found = found.filter(completed=True)
    completed = Case(When(completed=True, then=Value(YES)), default=Value(NO))
    return FactQuery(
        found, unit="course__unit_id", day="course__start_date", dims={"completed": completed}
    )


def course_participants(start: dt.date, end: dt.date) -> FactQuery:
    return _participants(start, end, completed_only=False)


def course_completions(start: dt.date, end: dt.date) -> FactQuery:
    return _participants(start, end, completed_only=True)


def outreach_labels(dimension: str) -> dict[str, str]:
    if dimension == "platform":
        return choice_labels(choices.Platform)
    if dimension == "completed":
        return {YES: str(_("Completed")), NO: str(_("Not completed"))}
    return {}


DIMENSION_NAMES = {"platform": _("Platform"), "completed": _("Completion")}

# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by(
    {
        "outreach.session": ("date",),
        "outreach.socialpost": ("date",),
        "outreach.course": ("start_date",),
        "outreach.participant": ("course__start_date",),
    }
)


def indicators() -> list[Indicator]:
    sessions: dict[str, Any] = {
        "dimensions": ("topic", "form"),
        "app": "outreach",
        "labels": session_labels,
        "dimension_names": {"topic": _("Topic"), "form": _("Form")},
        "watches": ("outreach.session",),
        "fact_days": FACT_DAYS,
    }
    return [
        Indicator(
            "outreach.sessions",
            _("Propaganda sessions held"),
            # with its context: Django's own catalogue translates a bare "sessions" (of logins)
            pgettext_lazy("unit of measure", "sessions"),
            source=sessions_held,
            narrate=True,
            narrative=_(
                "{when}, {value} propaganda sessions on crime "
                "and drug prevention were held in {unit} for {other} people."
            ),
            narrative_with="outreach.attendees",
            headline=140,
            **sessions,
        ),
        Indicator(
            "outreach.attendees",
            _("Session attendees"),
            _("people"),
            Aggregation.SUM,
            source=session_attendance,
            headline=150,
            **sessions,
        ),
        Indicator(
            "outreach.social_reach",
            _("Social-media reach"),
            pgettext_lazy("unit of measure", "people reached"),
            Aggregation.SUM,
            fact_query=social_reach,
            dimensions=("platform",),
            app="outreach",
            labels=outreach_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("outreach.socialpost",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "outreach.courses",
            _("Training courses"),
            pgettext_lazy("unit of measure", "courses"),
            fact_query=courses_started,
            app="outreach",
            labels=outreach_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("outreach.course",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "outreach.course_participants",
            _("Course participants"),
            pgettext_lazy("unit of measure", "people"),
            fact_query=course_participants,
            dimensions=("completed",),
            app="outreach",
            labels=outreach_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("outreach.participant", "outreach.course"),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "outreach.course_completions",
            _("Course completions"),
            pgettext_lazy("unit of measure", "people"),
            fact_query=course_completions,
            app="outreach",
            labels=outreach_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("outreach.participant", "outreach.course"),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "outreach.course_completion_share",
            _("Share of participants who completed their course"),
            pgettext_lazy("unit of measure", "share"),
            Aggregation.RATIO,
            numerator="outreach.course_completions",
            denominator="outreach.course_participants",
            app="outreach",
            labels=outreach_labels,
            dimension_names=DIMENSION_NAMES,
        ),
    ]
