"""Reading indicator values from the rollups: totals, series and breakdowns for units.

Every read is one rollup query (plus the succession and population look-ups it
needs), whatever the number of units asked for, so a table of child units costs
the same number of queries as a single figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast

from safeward.analytics import registry
from safeward.analytics.mapping import source_weights
from safeward.analytics.models import RollupValue
from safeward.analytics.periods import next_period, period_start, periods_between
from safeward.analytics.registry import Aggregation, Indicator, Period
from safeward.analytics.rollups import EARLIEST, path_ids
from safeward.core.scoping import path_q
from safeward.core.suppression import is_small
from safeward.geo.models import AdminUnit

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
    for kind in reversed(indicator.stored_periods()):
        if period_start(kind, start) == start and next_period(kind, period_start(kind, end)) == (
            end + dt.timedelta(days=1)
        ):
            return kind
    return indicator.finest_period


def pieces(
    indicator: Indicator, start: dt.date, end: dt.date
) -> list[tuple[str, dt.date, dt.date]]:
    """``[start, end]`` as stored periods: edge days, then whole months (or coarser) between.

    Day rows exist only for the unit a fact was recorded under, so the edge days
    are read from the subtree; whole periods are one row per unit.
    """
    kind = best_kind(indicator, start, end)
    if kind != Period.DAY or not indicator.supports(Period.MONTH):
        return [(kind, start, end)]
    first = (
        start if start.day == 1 else next_period(Period.MONTH, period_start(Period.MONTH, start))
    )
    last = period_start(Period.MONTH, end + dt.timedelta(days=1)) - dt.timedelta(days=1)
    if first > last:
        return [(Period.DAY, start, end)]
    found = [(best_kind(indicator, first, last), first, last)]
    if start < first:
        found.insert(0, (Period.DAY, start, first - dt.timedelta(days=1)))
    if last < end:
        found.append((Period.DAY, last + dt.timedelta(days=1), end))
    return found


def _paths(src_ids: set[int], memo: dict[frozenset[int], list[str]] | None) -> list[str]:
    """The sources' paths, so their subtrees are read as index ranges on the unit path."""
    key = frozenset(src_ids)
    if memo is not None and key in memo:
        return memo[key]
    paths = list(AdminUnit.objects.filter(pk__in=key).values_list("path", flat=True))
    if memo is not None:
        memo[key] = paths
    return paths


class DimValue(Func):
    """One dimension's value read from a rollup row's JSON key ('' when the key lacks it)."""

    output_field = CharField()

    def __init__(self, name: str) -> None:
        super().__init__(F("dims_key"))
        self.name = name

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE(json_extract({sql}, %s), '')", [*params, f'$."{self.name}"']

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE(({sql})::jsonb ->> %s, '')", [*params, self.name]


def _rows(
    query: Query,
    spans: list[tuple[str, dt.date, dt.date]],
    src_ids: set[int],
    paths_memo: dict[frozenset[int], list[str]] | None = None,
) -> Iterable[tuple[Iterable[int], dt.date, str | None, int, float, int]]:
    """Rollup rows as (source units they count for, period start, group, bucket, value, count).

    ``group`` is the row's value of ``query.by`` (``None`` without it). Rows of
    whole periods belong to their unit; day rows belong to the recording unit,
    so they are read from the sources' subtrees and counted for every source
    above them. Counts and sums are added up in the database per unit, period
    and group (a province's year by category is a few hundred rows, not one
    per stored dimension combination); medians and distinct counts need every
    bucket, so their rows come as stored.
    """
    whole, days = Q(pk__in=[]), Q(pk__in=[])
    for kind, start, end in spans:
        span = Q(
            period_kind=kind, period_start__gte=period_start(kind, start), period_start__lte=end
        )
        if kind == Period.DAY:
            days |= span
        else:
            whole |= span
    rows = RollupValue.objects.filter(indicator=query.indicator.code)
    summed = query.indicator.aggregation in (Aggregation.COUNT, Aggregation.SUM)
    group: Any = DimValue(query.by) if query.by else Value(None, output_field=CharField())
    columns = ("period_start", "sw_group", "sw_bucket", "sw_value", "sw_count")

    def listed(part: QuerySet[Any], *keys: str) -> QuerySet[Any]:
        part = part.order_by()
        if not summed:
            stored = {"sw_bucket": F("bucket"), "sw_value": F("value"), "sw_count": F("count")}
            return part.annotate(sw_group=group, **stored).values_list(*keys, *columns)
        return (
            part.values(*keys, "period_start", sw_group=group)
            .annotate(
                sw_bucket=Value(0),
                sw_value=Sum("value"),
                # PostgreSQL sums bigints as numeric; the raw rows would come back as Decimal.
                sw_count=Cast(Sum("count"), BigIntegerField()),
            )
            .values_list(*keys, *columns)
        )

    if all(kind != Period.DAY for kind, _s, _e in spans):
        found = listed(rows.filter(whole, unit_id__in=src_ids), "unit_id")
        return (((unit_id,), _day(start), *rest) for unit_id, start, *rest in _fetch(found))
    # One statement, each part on its own index range (an OR would scan the indicator).
    parts = [
        rows.filter(whole, unit_id__in=src_ids),
        rows.filter(days).filter(path_q("unit__path", _paths(src_ids, paths_memo))),
    ]
    both = [listed(p, "period_kind", "unit_id", "unit__path") for p in parts]
    return (
        (_counted_for(kind, unit_id, path, src_ids), _day(start), *rest)
        for kind, unit_id, path, start, *rest in _fetch(both[0].union(both[1], all=True))
    )


def _fetch(rows: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    """The query's plain database rows (dashboards read thousands; Django's converters cost more)."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk


@lru_cache(maxsize=65536)
def _day(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _counted_for(kind: str, unit_id: int, path: str, src_ids: set[int]) -> Iterable[int]:
    if kind != Period.DAY:
        return (unit_id,)
    return [a for a in path_ids(path) if a in src_ids]


def _collect(query: Query) -> dict[GroupKey, Cell]:
    weights = query.weights
    if weights is None:
        weights = source_weights([u.pk for u in query.units], as_is=query.as_is)
    targets_of: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for target, sources in weights.items():
        for src, weight in sources.items():
            targets_of[src].append((target, weight))
    if query.period:
        kind = query.indicator.read_kind(query.period)
        spans = [(kind, period_start(query.period, query.start), query.end)]
    else:
        spans = pieces(query.indicator, query.start, query.end)
    cells: dict[GroupKey, Cell] = defaultdict(Cell)
    regroup = bool(query.period) and spans[0][0] != query.period
    memo = getattr(weights, "paths", None)
    for unit_ids, when, group, bucket, value, count in _rows(query, spans, set(targets_of), memo):
        stamp = (period_start(query.period, when) if regroup else when) if query.period else None
        for unit_id in unit_ids:
            for target, weight in targets_of[unit_id]:
                cells[(target, stamp, group)].entries.append((bucket, value, count, weight))
    return cells


def finish(aggregation: str, cell: Cell) -> tuple[float | None, float]:
    """(value, weighted fact count) of one group."""
    count = sum(c * w for _b, _v, c, w in cell.entries)
    if aggregation == Aggregation.DISTINCT:
        # A key reaching the unit only through part of a split predecessor counts with that
        # share, so the successors of a split add up to the predecessor's distinct count.
        shares: dict[int, float] = {}
        for bucket, _v, c, weight in cell.entries:
            if c > 0:
                shares[bucket] = min(1.0, max(shares.get(bucket, 0.0), weight))
        return round(sum(shares.values()), 3), count
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
        return {k: finish(indicator.aggregation, c)[0] for k, c in _cells(query).items()}
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
    return {k: finish(query.indicator.aggregation, c)[1] for k, c in _cells(query).items()}


def _cells(query: Query) -> dict[GroupKey, Cell]:
    """The groups of a query; an "as of the end" indicator gathers everything before each end."""
    if not query.indicator.as_of_end:
        return _collect(query)
    history = _collect(replace(query, start=EARLIEST))
    if not query.period:
        return history
    return _running(history, periods_between(query.period, query.start, query.end))


def _running(history: dict[GroupKey, Cell], starts: list[dt.date]) -> dict[GroupKey, Cell]:
    """For every period start, the entries of that period and all before it."""
    by_group: dict[tuple[int, str | None], list[tuple[dt.date, Cell]]] = defaultdict(list)
    for (unit_id, when, group), cell in history.items():
        if when is not None:
            by_group[(unit_id, group)].append((when, cell))
    result: dict[GroupKey, Cell] = {}
    for (unit_id, group), items in by_group.items():
        items.sort(key=lambda item: item[0])
        entries: list[tuple[int, float, int, float]] = []
        position = 0
        for start in starts:
            while position < len(items) and items[position][0] <= start:
                entries.extend(items[position][1].entries)
                position += 1
            if entries:
                result[(unit_id, start, group)] = Cell(list(entries))
    return result


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
    """``None`` when a public figure rests on a small count (:mod:`safeward.core.suppression`)."""
    return None if is_small(count) else value


def public_total(
    indicator: Indicator, unit: AdminUnit, start: dt.date, end: dt.date
) -> float | None:
    """A figure for public pages: small counts hidden when the indicator asks for it."""
    value = total(indicator, unit, start, end)
    if not indicator.suppress_small_counts:
        return value
    query = Query(indicator, (unit,), start, end)
    return suppressed(value, counts(query).get((unit.pk, None, None), 0.0))
