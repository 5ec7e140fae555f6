"""Indicators over social-media posts and training courses.

Sessions and their attendees are registered with the built-in indicators
(``outreach.sessions``, ``outreach.attendees``); this module adds the rest. It
is imported by :func:`safeward.analytics.registry.autodiscover` when the
analytics app starts and registers its indicators on import.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import Aggregation, FactQuery, Indicator, register
from safeward.outreach import choices
from safeward.outreach.models import Course, Participant, SocialPost

YES, NO = "yes", "no"


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
        return {str(value): str(label) for value, label in choices.Platform.choices}
    if dimension == "completed":
        return {YES: str(_("Completed")), NO: str(_("Not completed"))}
    return {}


# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by(
    {
        "outreach.socialpost": ("date",),
        "outreach.course": ("start_date",),
        "outreach.participant": ("course__start_date",),
    }
)


def outreach_indicators() -> list[Indicator]:
    return [
        Indicator(
            "outreach.social_reach",
            _("Social-media reach"),
            pgettext_lazy("unit of measure", "people reached"),
            Aggregation.SUM,
            fact_query=social_reach,
            dimensions=("platform",),
            app="outreach",
            labels=outreach_labels,
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
        ),
    ]


register(*outreach_indicators())
