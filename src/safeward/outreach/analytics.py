"""Indicators over social-media posts and training courses.

Sessions and their attendees are registered with the built-in indicators
(``outreach.sessions``, ``outreach.attendees``); this module adds the rest. It
is imported by :func:`safeward.analytics.registry.autodiscover` when the
analytics app starts and registers its indicators on import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import Aggregation, Fact, Indicator, register
from safeward.outreach import choices
from safeward.outreach.models import Course, Participant, SocialPost

CHUNK = 5000
YES, NO = "yes", "no"


def social_reach(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        SocialPost.objects.filter(date__gte=start, date__lte=end)
        .values_list("unit_id", "date", "platform", "reach")
        .iterator(chunk_size=CHUNK)
    )
    for unit_id, day, platform, reach in rows:
        yield Fact(unit_id, day, {"platform": platform}, float(reach))


def courses_started(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        Course.objects.filter(start_date__gte=start, start_date__lte=end)
        .values_list("unit_id", "start_date")
        .iterator(chunk_size=CHUNK)
    )
    for unit_id, day in rows:
        yield Fact(unit_id, day, {})


def _participants(start: dt.date, end: dt.date, *, completed_only: bool) -> Iterator[Fact]:
    found = Participant.objects.filter(course__start_date__gte=start, course__start_date__lte=end)
    if completed_only:
        found = found.filter(completed=True)
    rows = found.values_list("course__unit_id", "course__start_date", "completed").iterator(
        chunk_size=CHUNK
    )
    for unit_id, day, completed in rows:
        yield Fact(unit_id, day, {"completed": YES if completed else NO})


def course_participants(start: dt.date, end: dt.date) -> Iterator[Fact]:
    yield from _participants(start, end, completed_only=False)


def course_completions(start: dt.date, end: dt.date) -> Iterator[Fact]:
    yield from _participants(start, end, completed_only=True)


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
            source=social_reach,
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
            source=courses_started,
            app="outreach",
            labels=outreach_labels,
            watches=("outreach.course",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "outreach.course_participants",
            _("Course participants"),
            pgettext_lazy("unit of measure", "people"),
            source=course_participants,
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
            source=course_completions,
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
