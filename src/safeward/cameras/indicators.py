"""Indicators over the camera register and the funds raised and spent for cameras.

Found by :func:`safeward.analytics.registry.autodiscover` when the analytics app
starts, which registers what :func:`indicators` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import (
    Aggregation,
    Fact,
    Indicator,
    Kind,
    Period,
    choice_labels,
    local_day,
)
from safeward.cameras.choices import CustodianKind
from safeward.cameras.models import Camera, Contribution, Expense

# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by(
    {
        "cameras.camera": ("installed_on", "created_at"),
        "cameras.contribution": ("date",),
        "cameras.expense": ("date",),
    }
)


def _cameras(start: dt.date, end: dt.date, **filters: Any) -> Iterator[tuple[Any, ...]]:
    """Cameras dated by their install day, or the day they were registered when it is unknown."""
    installed = Q(installed_on__gte=start, installed_on__lte=end)
    registered = Q(
        installed_on__isnull=True, created_at__date__gte=start, created_at__date__lte=end
    )
    rows = (
        Camera.objects.filter(installed | registered, **filters)
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


def cameras_registered(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for unit_id, day, custodian in _cameras(start, end):
        yield Fact(unit_id, day, {"custodian": custodian})


def _ledger(model: Any, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Amounts of a campaign ledger (contributions or expenses) not voided, by the campaign's unit."""
    rows = (
        model.objects.filter(date__gte=start, date__lte=end, voided_at__isnull=True)
        .values_list("campaign__unit_id", "date", "amount_vnd")
        .iterator(chunk_size=5000)
    )
    for unit_id, day, amount in rows:
        yield Fact(unit_id, day, {}, float(amount))


def money_spent(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _ledger(Expense, start, end)


def money_raised(start: dt.date, end: dt.date) -> Iterator[Fact]:
    return _ledger(Contribution, start, end)


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
REGISTERED_NOTE = _(
    "Every camera on the register by the end of the period, working or not, dated by its "
    "install day (or the day it was registered, when the install day is unknown)."
)


def camera_labels(dimension: str) -> dict[str, str]:
    return choice_labels(CustodianKind) if dimension == "custodian" else {}


def indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "app": "cameras",
        "fact_days": FACT_DAYS,
        "dimension_names": {"custodian": _("Custodian")},
        "labels": camera_labels,
    }
    register = ("cameras.camera",)
    raised = ("cameras.contribution", "cameras.campaign")
    return [
        Indicator(
            "cameras.working",
            _("Cameras working"),
            _("cameras"),
            source=cameras_working,
            as_of_end=True,
            note=CAMERAS_NOTE,
            dimensions=("custodian",),
            watches=register,
            headline=50,
            **common,
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
            watches=register,
            headline=60,
            **common,
        ),
        Indicator(
            "cameras.registered",
            _("Cameras registered"),
            _("cameras"),
            source=cameras_registered,
            kind=Kind.STOCK,
            note=REGISTERED_NOTE,
            dimensions=("custodian",),
            watches=register,
            headline=40,
            **common,
        ),
        Indicator(
            "cameras.funds_raised_to_date",
            _("Camera funds raised to date"),
            _("VND"),
            Aggregation.SUM,
            source=money_raised,
            kind=Kind.STOCK,
            watches=raised,
            headline=70,
            **common,
        ),
        Indicator(
            "cameras.funds_spent_to_date",
            _("Camera funds spent to date"),
            _("VND"),
            Aggregation.SUM,
            source=money_spent,
            kind=Kind.STOCK,
            watches=("cameras.expense", "cameras.campaign"),
            headline=80,
            **common,
        ),
        Indicator(
            "cameras.money_raised",
            _("Money raised for cameras in the period"),
            _("VND"),
            Aggregation.SUM,
            source=money_raised,
            watches=raised,
            **common,
        ),
    ]
