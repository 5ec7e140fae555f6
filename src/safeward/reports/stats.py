"""Public statistics per ward or city: counts by category and month, time to resolve, on-time rate.

Read from the analytics rollups (:mod:`safeward.analytics.public`), today's units
with their predecessors' history mapped in. Every figure resting on fewer than
five reports is published as suppressed (``None``), and so is a cell with none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeward.analytics import registry
from safeward.analytics.public import public_table, public_total
from safeward.analytics.registry import Period
from safeward.geo.models import AdminUnit

SUPPRESS_BELOW = 5
FIRST_DAY = dt.date(1990, 1, 1)


def shown(value: float | None) -> int | None:
    """A published count as a whole number, or None when it is suppressed or too small."""
    if value is None or round(value) < SUPPRESS_BELOW:
        return None
    return round(value)


@dataclass
class UnitStats:
    unit_id: int
    months: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    received: int | None = None
    resolved: int | None = None
    violations_by_year: list[tuple[int, int | None]] = field(default_factory=list)
    median_days: float | None = None
    on_time_rate: float | None = None


def month_list(end: dt.date, count: int = 12) -> list[dt.date]:
    months, year, month = [], end.year, end.month
    for _i in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _category_names() -> dict[str, str]:
    indicator = registry.get("reports.received")
    return indicator.value_labels("category") if indicator else {}


def _table(unit: AdminUnit, months: list[dt.date], end: dt.date) -> list[dict[str, Any]]:
    """Received and resolved per category and month (resolved counted in the month it was)."""
    received = public_table("reports.received", unit, months[0], end, Period.MONTH, "category")
    resolved = public_table("reports.resolved", unit, months[0], end, Period.MONTH, "category")
    names = _category_names()
    codes = {code for _m, code in [*received, *resolved] if code}
    rows = [
        {
            "category": names.get(code, code),
            "cells": [
                (shown(received.get((m, code))), shown(resolved.get((m, code)))) for m in months
            ],
        }
        for code in codes
    ]
    return sorted(rows, key=lambda row: row["category"])


def _violations_by_year(unit: AdminUnit, today: dt.date) -> list[tuple[int, int | None]]:
    found = public_table("reports.violations_confirmed", unit, FIRST_DAY, today, Period.YEAR)
    return [(start.year, shown(value)) for (start, _g), value in sorted(found.items()) if start]


def _rounded(value: float | None, scale: float = 1.0) -> float | None:
    return None if value is None else round(value * scale, 1)


def unit_stats(unit: AdminUnit, today: dt.date | None = None) -> UnitStats:
    """Figures for the public page, over the twelve months up to ``today``."""
    today = today or timezone.localdate()
    months = month_list(today)
    start = months[0]
    return UnitStats(
        unit_id=unit.pk,
        months=[m.strftime("%m/%Y") for m in months],
        rows=_table(unit, months, today),
        received=shown(public_total("reports.received", unit, start, today)),
        resolved=shown(public_total("reports.resolved", unit, start, today)),
        violations_by_year=_violations_by_year(unit, today),
        median_days=_rounded(public_total("reports.median_days", unit, start, today)),
        on_time_rate=_rounded(public_total("reports.on_time_share", unit, start, today), 100),
    )
