"""What a dashboard shows for one unit: headline figures, trends, a breakdown, child units, a map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse

from safeward.analytics import registry
from safeward.analytics.choices import Mode
from safeward.analytics.mapping import source_weights
from safeward.analytics.periods import period_label, periods_between, same_day_last_year
from safeward.analytics.queries import Query, values
from safeward.analytics.registry import Indicator, Kind, Period
from safeward.geo.models import AdminUnit

FIRST_YEAR = 2019
HEADLINE_LIMIT = 14


@dataclass
class Selection:
    """The dashboard's inputs, read from the query string."""

    unit: AdminUnit
    indicator: Indicator
    year: int
    today: dt.date
    as_is: bool = True
    by: str | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return min(dt.date(self.year, 12, 31), self.today)


@dataclass
class Dashboard:
    selection: Selection
    headlines: list[dict[str, Any]] = field(default_factory=list)
    trend_year: list[tuple[str, float | None]] = field(default_factory=list)
    trend_month: list[tuple[str, float | None]] = field(default_factory=list)
    breakdown: list[tuple[str, float | None]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)


def headline_order(indicator: Indicator) -> tuple[bool, int, str]:
    """The figures a province reports first (by their ``headline`` place), then the rest by code."""
    return (not indicator.headline, indicator.headline, indicator.code)


def default_indicator() -> Indicator | None:
    """The first headline flow (what happened in the period), else the first indicator by code."""
    indicators = registry.all_indicators()
    flows = (
        i for i in sorted(indicators, key=headline_order) if i.headline and i.kind == Kind.FLOW
    )
    return next(flows, indicators[0] if indicators else None)


def change(current: float | None, previous: float | None) -> float | None:
    """Percent change against the same period last year (None when there is no base)."""
    if current is None or not previous:
        return None
    return round(100.0 * (current - previous) / previous, 1)


def _query(sel: Selection, indicator: Indicator, units: tuple[AdminUnit, ...], **kw: Any) -> Query:
    weights = kw.pop("weights", None)
    return Query(
        indicator,
        units,
        kw.pop("start", sel.start),
        kw.pop("end", sel.end),
        as_is=sel.as_is,
        weights=weights,
        **kw,
    )


def headlines(sel: Selection, weights: dict[int, dict[int, float]]) -> list[dict[str, Any]]:
    """Each indicator for the year so far against the same days of the year before."""
    result = []
    unit = sel.unit
    for indicator in _headline_indicators(sel.indicator):
        now = values(_query(sel, indicator, (unit,), weights=weights)).get((unit.pk, None, None))
        then = values(
            _query(
                sel,
                indicator,
                (unit,),
                start=same_day_last_year(sel.start),
                end=same_day_last_year(sel.end),
                weights=weights,
            )
        ).get((unit.pk, None, None))
        if indicator.kind == Kind.STOCK and indicator.is_stored:
            # nothing on record at the period's end is a stock of 0 ("no pending cases")
            now, then = now or 0.0, then or 0.0
        result.append(
            {"indicator": indicator, "value": now, "previous": then, "change": change(now, then)}
        )
    return result


def _headline_indicators(selected: Indicator) -> list[Indicator]:
    """The selected indicator, then the ones leadership reads first, then the rest."""
    others = sorted(
        (i for i in registry.all_indicators() if i.code != selected.code), key=headline_order
    )
    return [selected, *others][:HEADLINE_LIMIT]


def trend(
    sel: Selection, period: str, start: dt.date, weights: dict[int, dict[int, float]]
) -> list[tuple[str, float | None]]:
    if not sel.indicator.supports(period) and sel.indicator.is_stored:
        return []
    query = _query(sel, sel.indicator, (sel.unit,), start=start, period=period, weights=weights)
    found = values(query)
    return [
        (period_label(period, p), found.get((sel.unit.pk, p, None)))
        for p in periods_between(period, start, sel.end)
    ]


def breakdown(
    sel: Selection, weights: dict[int, dict[int, float]]
) -> list[tuple[str, float | None]]:
    if not sel.by:
        return []
    found = values(_query(sel, sel.indicator, (sel.unit,), by=sel.by, weights=weights))
    names = sel.indicator.value_labels(sel.by)
    rows = [(names.get(group or "", group or "—"), v) for (_u, _p, group), v in found.items()]
    return sorted(rows, key=lambda r: -(r[1] or 0))


def child_units(sel: Selection) -> list[AdminUnit]:
    """Children shown in the table and map: today's for "as is", those of the period for "as was"."""
    children = AdminUnit.objects.filter(parent=sel.unit)
    if sel.as_is:
        return list(children.valid_on(sel.today).natural())
    overlapping = (Q(valid_from__isnull=True) | Q(valid_from__lte=sel.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=sel.start)
    )
    return list(children.filter(overlapping).natural())


def children_table(sel: Selection) -> list[dict[str, Any]]:
    units = child_units(sel)
    if not units:
        return []
    weights = source_weights([u.pk for u in units], as_is=sel.as_is)
    now = values(_query(sel, sel.indicator, tuple(units), weights=weights))
    then = values(
        _query(
            sel,
            sel.indicator,
            tuple(units),
            start=same_day_last_year(sel.start),
            end=same_day_last_year(sel.end),
            weights=weights,
        )
    )
    rows = []
    for unit in units:
        value, previous = now.get((unit.pk, None, None)), then.get((unit.pk, None, None))
        rows.append(
            {"unit": unit, "value": value, "previous": previous, "change": change(value, previous)}
        )
    return rows


def build_dashboard(sel: Selection) -> Dashboard:
    """Everything the dashboard page needs for the selected unit, indicator and year."""
    weights = source_weights([sel.unit.pk], as_is=sel.as_is)
    board = Dashboard(sel)
    board.headlines = headlines(sel, weights)
    board.trend_year = trend(sel, Period.YEAR, dt.date(FIRST_YEAR, 1, 1), weights)
    board.trend_month = trend(sel, Period.MONTH, sel.start, weights)
    board.breakdown = breakdown(sel, weights)
    board.children = children_table(sel)
    return board


def map_features(board: Dashboard) -> list[dict[str, Any]]:
    """Child units for the map: centroid, boundary when known, and the value to colour by."""
    return [
        {
            "id": row["unit"].pk,
            "url": reverse("analytics:unit", args=[row["unit"].pk]),
            "name": row["unit"].name,
            "value": row["value"],
            "lat": row["unit"].centroid_lat,
            "lon": row["unit"].centroid_lon,
            "boundary": row["unit"].boundary,
        }
        for row in board.children
        if row["unit"].has_centroid or row["unit"].boundary
    ]


def mode_of(raw: str | None) -> bool:
    return raw != Mode.AS_WAS
