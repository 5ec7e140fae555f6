"""Indicators over citizen reports: received, resolved, on time, violations, the backlog.

Found by :func:`safeward.analytics.registry.autodiscover` when the analytics app
starts, which registers what :func:`indicators` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import (
    Aggregation,
    Fact,
    FactQuery,
    Indicator,
    Kind,
    choice_labels,
    local_day,
    span,
)
from safeward.reports import choices
from safeward.reports.models import Report, ServiceCategory

REPORT_DIMS = ("category", "track", "channel", "outcome")
DIMENSION_NAMES = {
    "category": _("Category"),
    "track": _("Legal track"),
    "channel": _("Channel"),
    "outcome": _("Outcome"),
}

# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by({"reports.report": ("occurred_at", "received_at", "due_on")})


def _reports(start: dt.date, end: dt.date, stamp: str) -> Iterator[tuple[Any, ...]]:
    lookups = {f"{stamp}__date__gte": start, f"{stamp}__date__lte": end}
    return (
        Report.objects.filter(**lookups)
        .values_list(
            "unit_id",
            stamp,
            "category__code",
            "track",
            "channel",
            "outcome",
            "received_at",
            "due_on",
        )
        .iterator(chunk_size=5000)
    )


def _report_fact(row: tuple[Any, ...], value: float = 1.0) -> Fact:
    unit_id, stamp, category, track, channel, outcome = row[:6]
    dims = {"category": category, "track": track, "channel": channel, "outcome": outcome}
    return Fact(unit_id, local_day(stamp), dims, value)


def _report_query(start: dt.date, end: dt.date, stamp: str, **filters: Any) -> FactQuery:
    """The same facts as :func:`_reports` for the database to group (counts only)."""
    lookups = {f"{stamp}__date__gte": start, f"{stamp}__date__lte": end, **filters}
    dims = {"category": "category__code", "track": "track", "channel": "channel"}
    return FactQuery(
        Report.objects.filter(**lookups),
        unit="unit_id",
        day=TruncDate(stamp),
        dims={**dims, "outcome": "outcome"},
    )


def received_query(start: dt.date, end: dt.date) -> FactQuery:
    return _report_query(start, end, "received_at")


def resolved_query(start: dt.date, end: dt.date) -> FactQuery:
    return _report_query(start, end, "resolved_at")


def violations_query(start: dt.date, end: dt.date) -> FactQuery:
    return _report_query(start, end, "occurred_at", outcome__in=choices.VIOLATION_OUTCOMES)


def reports_received(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for row in _reports(start, end, "received_at"):
        yield _report_fact(row)


def reports_resolved(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for row in _reports(start, end, "resolved_at"):
        yield _report_fact(row)


def reports_on_time(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for row in _reports(start, end, "resolved_at"):
        if local_day(row[1]) <= row[7]:
            yield _report_fact(row)


def report_days_to_resolve(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for row in _reports(start, end, "resolved_at"):
        yield _report_fact(row, float((local_day(row[1]) - local_day(row[6])).days))


def violations_confirmed(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for row in _reports(start, end, "occurred_at"):
        if row[5] in choices.VIOLATION_OUTCOMES:
            yield _report_fact(row)


def _open_spans() -> Iterator[tuple[Any, ...]]:
    """(unit, category, received day, resolved day or None, due day) of every report ever received."""
    rows = Report.objects.values_list(
        "unit_id", "category__code", "received_at", "resolved_at", "due_on"
    ).iterator(chunk_size=5000)
    for unit_id, category, received, resolved, due in rows:
        yield unit_id, category, local_day(received), resolved and local_day(resolved), due


def reports_open(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports not yet resolved: open from the day received to the day resolved."""
    for unit_id, category, received, resolved, _due in _open_spans():
        stop = resolved if resolved is None or resolved >= received else received
        yield from span(unit_id, {"category": category}, received, stop, (start, end))


def reports_overdue(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports still open after their decide-by day: overdue from the next day to the day resolved."""
    for unit_id, category, _received, resolved, due in _open_spans():
        late = due + dt.timedelta(days=1)
        if resolved is None or resolved >= late:
            yield from span(unit_id, {"category": category}, late, resolved, (start, end))


def report_labels(dimension: str) -> dict[str, str]:
    if dimension == "category":
        return dict(ServiceCategory.objects.values_list("code", "name"))
    vocabulary = {
        "track": choices.LegalTrack,
        "channel": choices.Channel,
        "outcome": choices.Outcome,
    }
    found = vocabulary.get(dimension)
    return choice_labels(found) if found else {}


OPEN_NOTE = _(
    "Reports received by the end of the period and not resolved by then (the backlog); "
    "0 means no pending cases."
)
OVERDUE_NOTE = _(
    "Reports still open at the end of the period whose decide-by day had passed by then."
)


def indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "dimensions": REPORT_DIMS,
        "app": "reports",
        "labels": report_labels,
        "dimension_names": DIMENSION_NAMES,
        "watches": ("reports.report", "reports.servicecategory"),
        "fact_days": FACT_DAYS,
        "suppress_small_counts": True,
    }
    backlog: dict[str, Any] = {
        **common,
        "dimensions": ("category",),
        "suppress_small_counts": False,
    }
    return [
        Indicator(
            "reports.received",
            _("Reports received"),
            _("reports"),
            source=reports_received,
            fact_query=received_query,
            headline=110,
            **common,
        ),
        Indicator(
            "reports.resolved",
            _("Reports resolved"),
            _("reports"),
            source=reports_resolved,
            fact_query=resolved_query,
            **common,
        ),
        Indicator(
            "reports.on_time",
            _("Reports resolved on time"),
            _("reports"),
            source=reports_on_time,
            **common,
        ),
        Indicator(
            "reports.on_time_share",
            _("Share resolved on time"),
            _("share"),
            Aggregation.RATIO,
            numerator="reports.on_time",
            denominator="reports.resolved",
            headline=130,
            **common,
        ),
        Indicator(
            "reports.median_days",
            _("Median days to resolve"),
            _("days"),
            Aggregation.MEDIAN,
            source=report_days_to_resolve,
            **common,
        ),
        Indicator(
            "reports.violations_confirmed",
            _("Violations confirmed"),
            _("violations"),
            source=violations_confirmed,
            fact_query=violations_query,
            narrate=True,
            headline=120,
            **common,
        ),
        Indicator(
            "reports.open",
            _("Reports open at the end of the period"),
            _("reports"),
            Aggregation.SUM,
            source=reports_open,
            kind=Kind.STOCK,
            note=OPEN_NOTE,
            headline=90,
            **backlog,
        ),
        Indicator(
            "reports.overdue",
            _("Reports overdue at the end of the period"),
            _("reports"),
            Aggregation.SUM,
            source=reports_overdue,
            kind=Kind.STOCK,
            note=OVERDUE_NOTE,
            headline=100,
            **backlog,
        ),
        Indicator(
            "reports.violations_per_1000",
            _("Violations confirmed per 1,000 residents"),
            _("per 1,000 residents"),
            Aggregation.RATE_PER_1000,
            numerator="reports.violations_confirmed",
            **common,
        ),
    ]
