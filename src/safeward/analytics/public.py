"""Figures for the public pages of every module, read from the rollups with small counts hidden.

Public pages show today's units ("as is"): history recorded under units that
were merged or split is mapped onto them through their successions. Every
figure here is public, so a value resting on a small count
(:mod:`safeward.core.suppression`) is replaced by ``None``; for a ratio the
count is that of its denominator (a share of three reports is not published).
Counts laid out as a table with totals are read with :func:`public_counts` and
published through :func:`safeward.core.suppression.suppress_table`, which also
hides the complements a total would otherwise give away.
"""

from __future__ import annotations

import datetime as dt

from safeward.analytics import registry
from safeward.analytics.queries import Query, counts, suppressed, values
from safeward.analytics.registry import Aggregation, Indicator, Period
from safeward.core.suppression import suppress_table
from safeward.geo.models import AdminUnit

__all__ = ["PublicKey", "public_counts", "public_months", "public_table", "public_total"]

PublicKey = tuple[dt.date | None, str | None]
COUNTED = (Aggregation.COUNT, Aggregation.DISTINCT)


def _indicator(code: str) -> Indicator:
    indicator = registry.get(code)
    if indicator is None:
        raise KeyError(f"no indicator {code!r}")
    return indicator


def _support(query: Query) -> Query:
    """The query whose fact counts decide suppression."""
    indicator = query.indicator
    if indicator.aggregation != Aggregation.RATIO:
        return query
    return Query(
        _indicator(indicator.denominator),
        query.units,
        query.start,
        query.end,
        query.period,
        query.by,
        query.as_is,
    )


def public_table(
    indicator_code: str,
    unit: AdminUnit,
    start: dt.date,
    end: dt.date,
    period: str | None = "month",
    by: str | None = None,
) -> dict[PublicKey, float | None]:
    """``{(period start or None, dimension value or None): value}`` for ``unit`` over ``[start, end]``.

    Only groups with facts appear; a suppressed group's value is ``None``.
    """
    indicator = _indicator(indicator_code)
    query = Query(indicator, (unit,), start, end, period, by, as_is=True)
    found = {(k[1], k[2]): v for k, v in values(query).items() if k[0] == unit.pk}
    weights = {(k[1], k[2]): c for k, c in counts(_support(query)).items() if k[0] == unit.pk}
    return {key: suppressed(value, weights.get(key, 0.0)) for key, value in found.items()}


def public_counts(
    indicator_code: str,
    unit: AdminUnit,
    start: dt.date,
    end: dt.date,
    period: str | None = "month",
    by: str | None = None,
) -> dict[PublicKey, float]:
    """The unsuppressed counts behind :func:`public_table`, to be published only as a
    table through :func:`~safeward.core.suppression.suppress_table`."""
    indicator = _indicator(indicator_code)
    if indicator.aggregation not in COUNTED:
        raise ValueError(f"{indicator_code!r} is not a count")
    query = Query(indicator, (unit,), start, end, period, by, as_is=True)
    return {(k[1], k[2]): v or 0.0 for k, v in values(query).items() if k[0] == unit.pk}


def public_total(
    indicator_code: str, unit: AdminUnit, start: dt.date, end: dt.date
) -> float | None:
    """One public figure for ``unit`` over ``[start, end]`` (``None`` when suppressed or empty)."""
    return public_table(indicator_code, unit, start, end, period=None).get((None, None))


def public_months(
    columns: dict[str, str], unit: AdminUnit, start: dt.date, end: dt.date
) -> list[dict[str, object]]:
    """A public table of counts per month: ``{"month": "YYYY-MM", <column>: count}`` for
    every month with any fact, oldest first, ``columns`` naming each column's indicator.

    Published through :func:`safeward.core.suppression.suppress_table`: a count of 1 to 4,
    and any cell that would give one away, is ``None``; no totals are shown.
    """
    tables = {
        column: public_counts(code, unit, start, end, Period.MONTH)
        for column, code in columns.items()
    }
    months = sorted({month for table in tables.values() for month, _g in table if month})
    grid = [[tables[column].get((month, None), 0.0) for column in columns] for month in months]
    published = suppress_table(grid)
    return [
        {"month": month.strftime("%Y-%m"), **dict(zip(columns, row, strict=True))}
        for month, row in zip(months, published.cells, strict=True)
    ]
