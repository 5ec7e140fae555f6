"""Reading indicator values from the rollups: totals, series and breakdowns for units.

Every read is one rollup query (plus the succession and population look-ups it
needs), whatever the number of units asked for, so a table of child units costs
the same number of queries as a single figure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from safeward.analytics import registry
from safeward.analytics.mapping import source_weights
from safeward.analytics.models import RollupValue
from safeward.analytics.periods import next_period, period_start
from safeward.analytics.registry import PERIOD_ORDER, Aggregation, Indicator, Period
from safeward.core.scoping import path_q
from safeward.geo.models import AdminUnit

SMALL_COUNT = 5
GroupKey = tuple[int, dt.date | None, str | None]


@dataclass(frozen=True)
class Query:
    """What to read: an indicator for some units over ``[start, end]``.

    ``period`` splits the range into periods (``None``: one total), ``by``
    splits by a dimension, ``as_is`` maps history onto the units through their
    successions.
    """

    indicator: Indicator
    units: tuple[AdminUnit, ...]
    start: dt.date
    end: dt.date
    period: str | None = None
    by: str | None = None
    as_is: bool = True
    weights: dict[int, dict[int, float]] | None = field(default=None, compare=False, hash=False)


@dataclass
class Cell:
    """Weighted rollup entries for one group: ``(bucket, value, count, weight)``."""

    entries: list[tuple[int, float, int, float]] = field(default_factory=list)


def best_kind(indicator: Indicator, start: dt.date, end: dt.date) -> str:
    """The coarsest stored period whose boundaries match the range (fewest rows to read)."""
    for kind in reversed(PERIOD_ORDER):
        if not indicator.supports(kind):
            continue
        if period_start(kind, start) == start and next_period(kind, period_start(kind, end)) == (
            end + dt.timedelta(days=1)
        ):
            return kind
    return indicator.finest_period


@lru_cache(maxsize=4096)
def _dims(key: str) -> dict[str, str]:
    return json.loads(key)  # type: ignore[no-any-return]


def _rows(query: Query, kind: str, src_ids: set[int]) -> Iterable[tuple]:
    return (
        RollupValue.objects.filter(
            indicator=query.indicator.code,
            period_kind=kind,
            unit_id__in=src_ids,
            period_start__gte=period_start(kind, query.start),
            period_start__lte=query.end,
        )
        .values_list("unit_id", "period_start", "dims_key", "bucket", "value", "count")
        .iterator(chunk_size=5000)
    )


def _collect(query: Query) -> dict[GroupKey, Cell]:
    kind = query.period or best_kind(query.indicator, query.start, query.end)
    weights = query.weights
    if weights is None:
        weights = source_weights([u.pk for u in query.units], as_is=query.as_is)
    targets_of: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for target, sources in weights.items():
        for src, weight in sources.items():
            targets_of[src].append((target, weight))
    cells: dict[GroupKey, Cell] = defaultdict(Cell)
    for unit_id, start, key, bucket, value, count in _rows(query, kind, set(targets_of)):
        group = _dims(key).get(query.by, "") if query.by else None
        when = start if query.period else None
        for target, weight in targets_of[unit_id]:
            cells[(target, when, group)].entries.append((bucket, value, count, weight))
    return cells


def finish(aggregation: str, cell: Cell) -> tuple[float | None, float]:
    """(value, weighted fact count) of one group."""
    count = sum(c * w for _b, _v, c, w in cell.entries)
    if aggregation == Aggregation.DISTINCT:
        return float(len({b for b, _v, c, _w in cell.entries if c > 0})), count
    if aggregation == Aggregation.MEDIAN:
        return _weighted_median([(b, c * w) for b, _v, c, w in cell.entries]), count
    return sum(v * w for _b, v, _c, w in cell.entries), count


def _weighted_median(pairs: list[tuple[int, float]]) -> float | None:
    pairs = sorted(p for p in pairs if p[1] > 0)
    total = sum(w for _b, w in pairs)
    if total <= 0:
        return None
    running = 0.0
    for bucket, weight in pairs:
        running += weight
        if running >= total / 2:
            return float(bucket)
    return float(pairs[-1][0])


def values(query: Query) -> dict[GroupKey, float | None]:
    """The indicator's value per (unit id, period start or None, dimension value or None)."""
    indicator = query.indicator
    if indicator.is_stored:
        return {k: finish(indicator.aggregation, c)[0] for k, c in _collect(query).items()}
    numerator = values(_with(query, indicator.numerator))
    if indicator.aggregation == Aggregation.RATE_PER_1000:
        people = populations(query.units)
        return {k: _rate(v, people.get(k[0])) for k, v in numerator.items()}
    denominator = values(_with(query, indicator.denominator))
    return {k: _ratio(numerator.get(k), d) for k, d in denominator.items()}


def counts(query: Query) -> dict[GroupKey, float]:
    """Weighted fact counts behind each group (used to suppress small numbers)."""
    if not query.indicator.is_stored:
        return counts(_with(query, query.indicator.numerator))
    return {k: finish(query.indicator.aggregation, c)[1] for k, c in _collect(query).items()}


def _with(query: Query, code: str) -> Query:
    indicator = registry.get(code)
    if indicator is None:
        raise KeyError(code)
    return Query(
        indicator,
        query.units,
        query.start,
        query.end,
        query.period,
        query.by,
        query.as_is,
        query.weights,
    )


def _rate(value: float | None, people: int | None) -> float | None:
    if value is None or not people:
        return None
    return round(1000.0 * value / people, 3)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not denominator:
        return None
    return round((numerator or 0.0) / denominator, 4)


def populations(units: Iterable[AdminUnit]) -> dict[int, int]:
    """Residents per unit: its own figure, or the sum of its children's (recursively)."""
    units = list(units)
    rows = AdminUnit.objects.filter(path_q("path", [u.path for u in units])).values_list(
        "path", "population"
    )
    own = dict(rows)
    children: dict[str, list[str]] = defaultdict(list)
    for path in own:
        children[path[: path.rstrip("/").rfind("/") + 1]].append(path)

    def effective(path: str) -> int:
        if own.get(path):
            return int(own[path] or 0)
        return sum(effective(c) for c in children.get(path, []))

    return {u.pk: effective(u.path) for u in units}


def total(
    indicator: Indicator, unit: AdminUnit, start: dt.date, end: dt.date, *, as_is: bool = True
) -> float | None:
    """One figure: the indicator for ``unit``'s subtree over ``[start, end]``."""
    result = values(Query(indicator, (unit,), start, end, as_is=as_is))
    value = result.get((unit.pk, None, None))
    if value is None and indicator.aggregation in (Aggregation.COUNT, Aggregation.SUM):
        return 0.0
    return value


def series(
    indicator: Indicator,
    unit: AdminUnit,
    start: dt.date,
    end: dt.date,
    period: str = Period.MONTH,
    *,
    by: str | None = None,
    as_is: bool = True,
) -> dict[tuple[dt.date | None, str | None], float | None]:
    """Values per (period start, dimension value) for one unit."""
    result = values(Query(indicator, (unit,), start, end, period, by, as_is))
    return {(k[1], k[2]): v for k, v in result.items()}


def per_unit(
    indicator: Indicator,
    units: list[AdminUnit],
    start: dt.date,
    end: dt.date,
    *,
    as_is: bool = True,
) -> dict[int, float | None]:
    """One figure per unit (the child-unit table and the map)."""
    result = values(Query(indicator, tuple(units), start, end, as_is=as_is))
    return {u.pk: result.get((u.pk, None, None)) for u in units}


def suppressed(value: float | None, count: float) -> float | None:
    """``None`` when a public figure rests on fewer than ``SMALL_COUNT`` facts."""
    return None if 0 < count < SMALL_COUNT else value


def public_total(
    indicator: Indicator, unit: AdminUnit, start: dt.date, end: dt.date
) -> float | None:
    """A figure for public pages: small counts hidden when the indicator asks for it."""
    value = total(indicator, unit, start, end)
    if not indicator.suppress_small_counts:
        return value
    query = Query(indicator, (unit,), start, end)
    return suppressed(value, counts(query).get((unit.pk, None, None), 0.0))
