"""Public statistics per ward or city: counts by category and month, time to resolve, on-time rate.

Read from the analytics rollups (:mod:`safeward.analytics.public`), today's units
with their predecessors' history mapped in. Counts go through
:func:`safeward.core.suppression.suppress_table`: a count from 1 to 4 is
published as ``None``, and so is the complement that would let the 12-month
total give it away. Medians and shares resting on fewer than five reports are
``None`` too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeward.analytics import registry
from safeward.analytics.public import public_counts, public_total
from safeward.analytics.registry import Period
from safeward.core.suppression import SuppressedTable, suppress_table
from safeward.geo.models import AdminUnit

FIRST_DAY = dt.date(1990, 1, 1)


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


def _by_category(code: str, unit: AdminUnit, months: list[dt.date], end: dt.date) -> Any:
    """Categories (uncategorised last) × months with the published 12-month total."""
    found = public_counts(code, unit, months[0], end, Period.MONTH, "category")
    codes = [*sorted({c for _m, c in found if c}), None]
    grid = [[found.get((m, c), 0.0) for m in months] for c in codes]
    return codes, suppress_table(grid, total=True)


def _table(
    unit: AdminUnit, months: list[dt.date], end: dt.date
) -> tuple[list[dict[str, Any]], SuppressedTable, SuppressedTable]:
    """Received and resolved per category and month (resolved counted in the month it was);
    the uncategorised row counts towards the totals but is not listed."""
    codes, received = _by_category("reports.received", unit, months, end)
    resolved_codes, resolved = _by_category("reports.resolved", unit, months, end)
    resolved_rows = dict(zip(resolved_codes, resolved.cells, strict=True))
    names = _category_names()
    rows = [
        {
            "category": names.get(code, code),
            "cells": list(
                zip(received.cells[i], resolved_rows.get(code, [0] * len(months)), strict=True)
            ),
        }
        for i, code in enumerate(codes)
        if code is not None
    ]
    for code in set(resolved_codes) - set(codes):
        rows.append(
            {
                "category": names.get(code, code),
                "cells": [(0, v) for v in resolved_rows[code]],
            }
        )
    return sorted(rows, key=lambda row: row["category"]), received, resolved


def _violations_by_year(unit: AdminUnit, today: dt.date) -> list[tuple[int, int | None]]:
    found = public_counts("reports.violations_confirmed", unit, FIRST_DAY, today, Period.YEAR)
    years = sorted(start for start, _g in found if start)
    table = suppress_table([[found[(start, None)]] for start in years])
    return [(start.year, row[0]) for start, row in zip(years, table.cells, strict=True)]


def _rounded(value: float | None, scale: float = 1.0) -> float | None:
    return None if value is None else round(value * scale, 1)


def unit_stats(unit: AdminUnit, today: dt.date | None = None) -> UnitStats:
    """Figures for the public page, over the twelve months up to ``today``."""
    today = today or timezone.localdate()
    months = month_list(today)
    start = months[0]
    rows, received, resolved = _table(unit, months, today)
    return UnitStats(
        unit_id=unit.pk,
        months=[m.strftime("%m/%Y") for m in months],
        rows=rows,
        received=received.total,
        resolved=resolved.total,
        violations_by_year=_violations_by_year(unit, today),
        median_days=_rounded(public_total("reports.median_days", unit, start, today)),
        on_time_rate=_rounded(public_total("reports.on_time_share", unit, start, today), 100),
    )
