"""Indicators over the facts other SafeWard modules record.

Each group is registered only when its app is installed and its models import;
the fact sources read the apps' querysets (never their tables in SQL). These
indicators are brought up to date by ``safeward analytics rebuild`` (run by the
demo and by the ``refresh_rollups`` task); apps may also call ``rollup_add``
from their services to keep them current between rebuilds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.analytics.registry import (
    Aggregation,
    Fact,
    FactQuery,
    Indicator,
    Kind,
    Period,
    when_app_present,
)

REPORT_DIMS = ("category", "track", "channel", "outcome")


def local_day(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _model(label: str) -> Any:
    return apps.get_model(label)


DATED_BY: dict[str, tuple[str, ...]] = {
    "reports.report": ("occurred_at", "received_at", "due_on"),
    "cameras.camera": ("installed_on", "created_at"),
    "cameras.contribution": ("date",),
    "cameras.expense": ("date",),
    "evidence.footagerequest": ("sent_at",),
    "evidence.requesttarget": ("responded_at",),
    "outreach.session": ("date",),
}


def fact_days(object_type: str, ids: list[str]) -> dict[str, dt.date]:
    """The earliest day the facts of these records fall on (records not found are left out).

    A record without its date yet (a request not sent) dates its facts today.
    """
    from safeward.analytics.freshness import fact_days_by

    return fact_days_by(DATED_BY)(object_type, ids)


# --- reports -------------------------------------------------------------------------------
def _reports(start: dt.date, end: dt.date, stamp: str) -> Iterator[tuple[Any, ...]]:
    lookups = {f"{stamp}__date__gte": start, f"{stamp}__date__lte": end}
    return (
        _model("reports.Report")
        .objects.filter(**lookups)
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
        _model("reports.Report").objects.filter(**lookups),
        unit="unit_id",
        day=TruncDate(stamp),
        dims={**dims, "outcome": "outcome"},
    )


def received_query(start: dt.date, end: dt.date) -> FactQuery:
    return _report_query(start, end, "received_at")


def resolved_query(start: dt.date, end: dt.date) -> FactQuery:
    return _report_query(start, end, "resolved_at")


def violations_query(start: dt.date, end: dt.date) -> FactQuery:
    from safeward.reports.choices import VIOLATION_OUTCOMES

    return _report_query(start, end, "occurred_at", outcome__in=VIOLATION_OUTCOMES)


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
    from safeward.reports.choices import VIOLATION_OUTCOMES

    for row in _reports(start, end, "occurred_at"):
        if row[5] in VIOLATION_OUTCOMES:
            yield _report_fact(row)


def _open_spans() -> Iterator[tuple[Any, ...]]:
    """(unit, category, received day, resolved day or None, due day) of every report ever received."""
    rows = (
        _model("reports.Report")
        .objects.values_list("unit_id", "category__code", "received_at", "resolved_at", "due_on")
        .iterator(chunk_size=5000)
    )
    for unit_id, category, received, resolved, due in rows:
        yield unit_id, category, local_day(received), resolved and local_day(resolved), due


def _span(
    unit_id: int, dims: dict[str, str], first: dt.date, stop: dt.date | None, bounds: tuple
) -> Iterator[Fact]:
    """+1 on ``first``, -1 on ``stop``: the record exists on the days in between (a stock)."""
    start, end = bounds
    if start <= first <= end:
        yield Fact(unit_id, first, dims, 1.0)
    if stop is not None and start <= stop <= end:
        yield Fact(unit_id, stop, dims, -1.0)


def reports_open(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports not yet resolved: open from the day received to the day resolved."""
    for unit_id, category, received, resolved, _due in _open_spans():
        stop = resolved if resolved is None or resolved >= received else received
        yield from _span(unit_id, {"category": category}, received, stop, (start, end))


def reports_overdue(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Reports still open after their decide-by day: overdue from the next day to the day resolved."""
    for unit_id, category, _received, resolved, due in _open_spans():
        late = due + dt.timedelta(days=1)
        if resolved is None or resolved >= late:
            yield from _span(unit_id, {"category": category}, late, resolved, (start, end))


def report_labels(dimension: str) -> dict[str, str]:
    from safeward.reports import choices

    if dimension == "category":
        rows = _model("reports.ServiceCategory").objects.values_list("code", "name")
        return dict(rows)
    vocabulary = {
        "track": choices.LegalTrack,
        "channel": choices.Channel,
        "outcome": choices.Outcome,
    }
    found = vocabulary.get(dimension)
    return {str(value): str(label) for value, label in found.choices} if found else {}


OPEN_NOTE = _(
    "Reports received by the end of the period and not resolved by then (the backlog); "
    "0 means no pending cases."
)
OVERDUE_NOTE = _(
    "Reports still open at the end of the period whose decide-by day had passed by then."
)


def report_indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "dimensions": REPORT_DIMS,
        "app": "reports",
        "labels": report_labels,
        "watches": ("reports.report", "reports.servicecategory"),
        "fact_days": fact_days,
        "suppress_small_counts": True,
    }
    return [
        Indicator(
            "reports.received",
            _("Reports received"),
            _("reports"),
            source=reports_received,
            fact_query=received_query,
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
            **{**common, "dimensions": ("category",), "suppress_small_counts": False},
        ),
        Indicator(
            "reports.overdue",
            _("Reports overdue at the end of the period"),
            _("reports"),
            Aggregation.SUM,
            source=reports_overdue,
            kind=Kind.STOCK,
            note=OVERDUE_NOTE,
            **{**common, "dimensions": ("category",), "suppress_small_counts": False},
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


# --- cameras -------------------------------------------------------------------------------
def _cameras(start: dt.date, end: dt.date, **filters: Any) -> Iterator[tuple[Any, ...]]:
    """Cameras dated by their install day, or the day they were registered when it is unknown."""
    installed = Q(installed_on__gte=start, installed_on__lte=end)
    registered = Q(
        installed_on__isnull=True, created_at__date__gte=start, created_at__date__lte=end
    )
    rows = (
        _model("cameras.Camera")
        .objects.filter(installed | registered, **filters)
        .values_list("unit_id", "installed_on", "created_at", "custodian_kind")
        .iterator(chunk_size=5000)
    )
    for unit_id, installed_on, created_at, custodian in rows:
        yield unit_id, installed_on or local_day(created_at), custodian


def cameras_working(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, custodian in _cameras(start, end, status="working"):
        yield Fact(unit_id, day, {"custodian": custodian})


def neighbourhoods_covered(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = _cameras(start, end, status="working", unit__level="neighbourhood")
    for unit_id, day, custodian in rows:
        yield Fact(unit_id, day, {"custodian": custodian}, float(unit_id))


CAMERAS_NOTE = _(
    "Cameras working today, each counted from the day it was installed (or registered, when "
    "the install day is unknown) up to the end of the period. Cameras keep no history of "
    "their status, so one that has since broken or been withdrawn is left out of earlier "
    "periods as well."
)
COVERAGE_NOTE = _(
    "Neighbourhoods with at least one camera working today, installed by the end of the "
    "period. In the “as is” view a neighbourhood that came from part of a split unit counts "
    "with that unit's share."
)


def cameras_registered(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, custodian in _cameras(start, end):
        yield Fact(unit_id, day, {"custodian": custodian})


def _ledger(label: str, start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        _model(label)
        .objects.filter(date__gte=start, date__lte=end, voided_at__isnull=True)
        .values_list("campaign__unit_id", "date", "amount_vnd")
        .iterator(chunk_size=5000)
    )
    for unit_id, day, amount in rows:
        yield Fact(unit_id, day, {}, float(amount))


def money_spent(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _ledger("cameras.Expense", start, end)


def money_raised(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        _model("cameras.Contribution")
        .objects.filter(date__gte=start, date__lte=end, voided_at__isnull=True)
        .values_list("campaign__unit_id", "date", "amount_vnd")
        .iterator(chunk_size=5000)
    )
    for unit_id, day, amount in rows:
        yield Fact(unit_id, day, {}, float(amount))


REGISTERED_NOTE = _(
    "Every camera on the register by the end of the period, working or not, dated by its "
    "install day (or the day it was registered, when the install day is unknown)."
)


def camera_indicators() -> list[Indicator]:
    _model("cameras.Camera")
    return [
        Indicator(
            "cameras.working",
            _("Cameras working"),
            _("cameras"),
            source=cameras_working,
            as_of_end=True,
            note=CAMERAS_NOTE,
            dimensions=("custodian",),
            app="cameras",
            watches=("cameras.camera",),
            fact_days=fact_days,
        ),
        Indicator(
            "cameras.neighbourhoods_covered",
            _("Neighbourhoods covered by cameras"),
            _("neighbourhoods"),
            Aggregation.DISTINCT,
            source=neighbourhoods_covered,
            finest_period=Period.MONTH,
            as_of_end=True,
            note=COVERAGE_NOTE,
            app="cameras",
            watches=("cameras.camera",),
            fact_days=fact_days,
        ),
        Indicator(
            "cameras.registered",
            _("Cameras registered"),
            _("cameras"),
            source=cameras_registered,
            kind=Kind.STOCK,
            note=REGISTERED_NOTE,
            dimensions=("custodian",),
            app="cameras",
            watches=("cameras.camera",),
            fact_days=fact_days,
        ),
        Indicator(
            "cameras.funds_raised_to_date",
            _("Camera funds raised to date"),
            _("VND"),
            Aggregation.SUM,
            source=money_raised,
            kind=Kind.STOCK,
            app="cameras",
            watches=("cameras.contribution", "cameras.campaign"),
            fact_days=fact_days,
        ),
        Indicator(
            "cameras.funds_spent_to_date",
            _("Camera funds spent to date"),
            _("VND"),
            Aggregation.SUM,
            source=money_spent,
            kind=Kind.STOCK,
            app="cameras",
            watches=("cameras.expense", "cameras.campaign"),
            fact_days=fact_days,
        ),
        Indicator(
            "cameras.money_raised",
            _("Money raised for cameras in the period"),
            _("VND"),
            Aggregation.SUM,
            source=money_raised,
            app="cameras",
            watches=("cameras.contribution", "cameras.campaign"),
            fact_days=fact_days,
        ),
    ]


# --- evidence ------------------------------------------------------------------------------
def footage_requests_sent(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        _model("evidence.FootageRequest")
        .objects.filter(sent_at__date__gte=start, sent_at__date__lte=end)
        .values_list("unit_id", "sent_at")
        .iterator(chunk_size=5000)
    )
    for unit_id, sent_at in rows:
        yield Fact(unit_id, local_day(sent_at), {})


def _answers(start: dt.date, end: dt.date, responses: list[str]) -> Iterator[Fact]:
    rows = (
        _model("evidence.RequestTarget")
        .objects.filter(
            responded_at__date__gte=start, responded_at__date__lte=end, response__in=responses
        )
        .values_list("request__unit_id", "responded_at", "response")
        .iterator(chunk_size=5000)
    )
    for unit_id, responded_at, response in rows:
        yield Fact(unit_id, local_day(responded_at), {"response": response})


def footage_requests_answered(start: dt.date, end: dt.date) -> Iterator[Fact]:
    from safeward.evidence.choices import ANSWERS

    return _answers(start, end, [str(a) for a in ANSWERS])


def footage_requests_declined(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _answers(start, end, ["declined"])


def evidence_indicators() -> list[Indicator]:
    _model("evidence.FootageRequest")
    return [
        Indicator(
            "evidence.requests_sent",
            _("Footage requests sent"),
            _("requests"),
            source=footage_requests_sent,
            app="evidence",
            watches=("evidence.footagerequest",),
            fact_days=fact_days,
        ),
        Indicator(
            "evidence.requests_answered",
            _("Footage requests answered by custodians"),
            _("answers"),
            source=footage_requests_answered,
            dimensions=("response",),
            app="evidence",
            watches=("evidence.requesttarget", "evidence.footagerequest"),
            fact_days=fact_days,
        ),
        Indicator(
            "evidence.requests_declined",
            _("Footage requests declined by custodians"),
            _("answers"),
            source=footage_requests_declined,
            app="evidence",
            watches=("evidence.requesttarget", "evidence.footagerequest"),
            fact_days=fact_days,
        ),
    ]


# --- outreach ------------------------------------------------------------------------------
def _sessions(start: dt.date, end: dt.date) -> Iterator[tuple[Any, ...]]:
    return (
        _model("outreach.Session")
        .objects.filter(date__gte=start, date__lte=end, status="held")
        .values_list("unit_id", "date", "topic", "form", "attendance")
        .iterator(chunk_size=5000)
    )


def sessions_held(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, topic, form, _attendance in _sessions(start, end):
        yield Fact(unit_id, day, {"topic": topic, "form": form})


def session_attendance(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, topic, form, attendance in _sessions(start, end):
        yield Fact(unit_id, day, {"topic": topic, "form": form}, float(attendance))


def outreach_labels(dimension: str) -> dict[str, str]:
    from safeward.outreach import choices

    found = {"topic": choices.Topic, "form": choices.SessionForm}.get(dimension)
    return {str(value): str(label) for value, label in found.choices} if found else {}


def outreach_indicators() -> list[Indicator]:
    _model("outreach.Session")
    dims = ("topic", "form")
    dated: dict[str, Any] = {"watches": ("outreach.session",), "fact_days": fact_days}
    return [
        Indicator(
            "outreach.sessions",
            _("Propaganda sessions held"),
            _("sessions"),
            source=sessions_held,
            dimensions=dims,
            app="outreach",
            **dated,
            narrate=True,
            narrative=_(
                "{when}, {value} propaganda sessions on crime "
                "and drug prevention were held in {unit} for {other} people."
            ),
            narrative_with="outreach.attendees",
        ),
        Indicator(
            "outreach.attendees",
            _("Session attendees"),
            _("people"),
            Aggregation.SUM,
            source=session_attendance,
            dimensions=dims,
            app="outreach",
            **dated,
        ),
    ]


def register_builtin() -> None:
    """Register every built-in indicator whose module is installed."""
    when_app_present("reports", report_indicators)
    when_app_present("cameras", camera_indicators)
    when_app_present("evidence", evidence_indicators)
    when_app_present("outreach", outreach_indicators)
