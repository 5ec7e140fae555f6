"""Writing rollups: the incremental hook services call, and the full rebuild.

Every fact is added, for each month and year it falls in (quarters are read as
their three months), to the row
of the unit it was recorded under and to the rows of all that unit's ancestors
(read from its materialised path), so a subtree total over whole periods is one
indexed row instead of a range scan over every descendant's rows. Day rows are
kept only for the recording unit: a range that does not start and end on month
boundaries reads its edge days from the subtree (see ``queries``), and the
rebuild writes a quarter fewer rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from safeward.analytics import registry
from safeward.analytics.bulkwrite import PreparedRollups, base_cells, prepared_rollups
from safeward.analytics.models import FillState, RollupValue
from safeward.analytics.periods import period_start
from safeward.analytics.registry import Aggregation, Fact, Indicator, Period
from safeward.core.models import AuditSeal
from safeward.geo.models import AdminUnit

EARLIEST = dt.date(1990, 1, 1)
Key = tuple[int, str, dt.date, str, int]


def dims_key(indicator: Indicator, dims: dict[str, Any]) -> str:
    """The canonical JSON of the dimensions the indicator declares (others are dropped)."""
    kept = tuple(
        (k, str(dims[k])) for k in sorted(indicator.dimensions) if dims.get(k) not in (None, "")
    )
    return _canonical(kept)


@lru_cache(maxsize=65536)
def _canonical(items: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(dict(items), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=65536)
def path_ids(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in path.strip("/").split("/") if p)


@lru_cache(maxsize=16384)
def _period_starts(kinds: tuple[str, ...], day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    return tuple((kind, period_start(kind, day)) for kind in kinds)


def _cell(indicator: Indicator, value: float) -> tuple[int, float]:
    """(bucket, value) stored for one fact."""
    if indicator.aggregation == Aggregation.DISTINCT:
        return int(value), 1.0
    if indicator.aggregation == Aggregation.MEDIAN:
        return round(value), float(value)
    return 0, float(value)


def fact_cells(indicator: Indicator, path: str, fact: Fact) -> Iterable[tuple[Key, float]]:
    """Every (row key, value) a fact contributes to."""
    key = dims_key(indicator, fact.dims)
    bucket, value = _cell(indicator, fact.value)
    starts = _period_starts(tuple(indicator.stored_periods()), fact.day)
    for unit_id in path_ids(path):
        for kind, start in starts:
            if kind != Period.DAY or unit_id == fact.unit_id:
                yield (unit_id, kind, start, key, bucket), value


def _indicator_or_error(code: str) -> Indicator:
    indicator = registry.get(code)
    if indicator is None or not indicator.is_stored:
        raise KeyError(f"no stored indicator {code!r}")
    return indicator


def _unit_path(unit: AdminUnit | int) -> tuple[int, str]:
    if isinstance(unit, AdminUnit):
        return unit.pk, unit.path
    return unit, AdminUnit.objects.values_list("path", flat=True).get(pk=unit)


def rollup_add(
    indicator_code: str,
    *,
    unit: AdminUnit | int,
    day: dt.date,
    dims: dict[str, Any] | None = None,
    value: float = 1.0,
) -> None:
    """Add one fact to the rollups of ``unit`` and its ancestors (call inside the writing transaction)."""
    _apply(indicator_code, unit, day, dims or {}, value, sign=1)


def rollup_remove(
    indicator_code: str,
    *,
    unit: AdminUnit | int,
    day: dt.date,
    dims: dict[str, Any] | None = None,
    value: float = 1.0,
) -> None:
    """Take back a fact added earlier (a status or category changed); empty cells disappear."""
    _apply(indicator_code, unit, day, dims or {}, value, sign=-1)


def _apply(
    code: str, unit: AdminUnit | int, day: dt.date, dims: dict[str, Any], value: float, *, sign: int
) -> None:
    indicator = _indicator_or_error(code)
    unit_id, path = _unit_path(unit)
    fact = Fact(unit_id, day, dims, value)
    rows = [(key, sign * v, sign) for key, v in fact_cells(indicator, path, fact)]
    with transaction.atomic():
        _upsert(code, rows)
        if sign < 0:
            RollupValue.objects.filter(
                indicator=code, unit_id__in=path_ids(path), count__lte=0
            ).delete()


def _upsert(code: str, rows: list[tuple[Key, float, int]]) -> None:
    table = connection.ops.quote_name(RollupValue._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for (unit_id, kind, start, key, bucket), value, count in rows:
        params += [code, unit_id, kind, start, key, bucket, value, count]
    sql = (
        f"INSERT INTO {table} (indicator, unit_id, period_kind, period_start, dims_key, bucket,"
        f" value, count) VALUES {values} ON CONFLICT"
        " (indicator, period_kind, unit_id, period_start, dims_key, bucket)"
        f" DO UPDATE SET value = {table}.value + excluded.value,"
        f" count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def unit_paths() -> dict[int, str]:
    return dict(AdminUnit.objects.values_list("pk", "path"))


@contextmanager
def _prepared(
    indicator: Indicator, start: dt.date, until: dt.date, paths: dict[int, str]
) -> Iterator[PreparedRollups]:
    cells = None
    if not indicator.aggregates_in_sql:
        assert indicator.source is not None
        cells = base_cells(indicator, indicator.source(start, until))
    with prepared_rollups(indicator, paths, start=start, end=until, cells=cells) as rows:
        yield rows


def rebuild_indicator(
    indicator: Indicator,
    *,
    until: dt.date | None = None,
    paths: dict[int, str] | None = None,
    fill: dict[str, Any] | None = None,
) -> int:
    """Replace an indicator's rollups with ones computed from its source; returns the row count.

    The rows are computed first, in temporary tables, with no write lock held; the
    old rows are then replaced by one statement in a short transaction. The rebuild
    includes every change the audit trail had sealed when it started, so the
    indicator's watermark moves there. ``fill`` sets more of its :class:`FillState`
    in the same transaction.
    """
    until = until or timezone.localdate()
    started = timezone.now()
    sealed = AuditSeal.objects.aggregate(top=Max("seq"))["top"] or 0
    with (
        _prepared(indicator, EARLIEST, until, paths or unit_paths()) as prepared,
        transaction.atomic(),
    ):
        RollupValue.objects.filter(indicator=indicator.code).delete()
        rows = prepared.write()
        defaults = {
            "rebuilt_at": timezone.now(),
            "filled_through": until,
            "rows": rows,
            "audit_seq": sealed,
            "current_at": started,
        }
        FillState.objects.update_or_create(
            indicator=indicator.code, defaults={**defaults, **(fill or {})}
        )
    return rows


def refresh_indicator(
    indicator: Indicator,
    *,
    since: dt.date,
    paths: dict[int, str] | None = None,
    fill: dict[str, Any] | None = None,
) -> int:
    """Recompute an indicator's rollups from 1 January of ``since``'s year onwards.

    Every period kind starts inside a year, so rows from that day on depend only
    on facts from that day on: older rows stay as they are. As for a rebuild, the
    rows are computed before the short transaction that swaps them in.
    """
    start = dt.date(since.year, 1, 1)
    until = timezone.localdate()
    with (
        _prepared(indicator, start, until, paths or unit_paths()) as prepared,
        transaction.atomic(),
    ):
        RollupValue.objects.filter(indicator=indicator.code, period_start__gte=start).delete()
        rows = prepared.write()
        FillState.objects.update_or_create(
            indicator=indicator.code,
            defaults={"rebuilt_at": timezone.now(), "filled_through": until, **(fill or {})},
        )
    return rows


def refresh_all(since: dt.date) -> dict[str, int]:
    """Refresh every stored indicator from the start of ``since``'s year (``analytics refresh``)."""
    paths = unit_paths()
    written = {
        i.code: refresh_indicator(i, since=since, paths=paths) for i in registry.stored_indicators()
    }
    refresh_statistics()
    return written


def rebuild_all(codes: list[str] | None = None, log: Any = None) -> dict[str, int]:
    """Rebuild every stored indicator (or those named); returns rows written per indicator."""
    paths = unit_paths()
    written: dict[str, int] = {}
    for indicator in registry.stored_indicators():
        if codes and indicator.code not in codes:
            continue
        written[indicator.code] = rebuild_indicator(indicator, paths=paths)
        if log:
            log(f"{indicator.code}: {written[indicator.code]} rows")
    refresh_statistics()
    return written


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the new table size (a stale estimate picks a sequential scan)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(RollupValue._meta.db_table)}")
