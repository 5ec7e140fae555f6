"""Writing rebuilt rollups inside the database.

The facts first go into a temporary *base* table of (unit, day, dimensions key,
bucket, value, count): copied by one ``INSERT ... SELECT`` over the source's
queryset when the indicator has a :class:`~safeward.analytics.registry.FactQuery`
and sums or counts, otherwise summed in Python from its fact source. The database then
writes the recording unit's day rows straight from the base table and fans
every base row out to the unit's ancestors and to the month and year it
falls in with one more ``INSERT ... SELECT ... GROUP BY`` over two small
mapping tables. Dimension keys travel as small integers until the last join,
so the big sort compares numbers, not JSON text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Coalesce

from safeward.analytics.models import RollupValue
from safeward.analytics.periods import period_start
from safeward.analytics.registry import (
    PERIOD_ORDER,
    Aggregation,
    Fact,
    FactQuery,
    Indicator,
    Period,
    query_expression,
)

BaseKey = tuple[int, dt.date, str, int]
Cells = dict[BaseKey, list[float]]
TEMP_TABLES = {
    "sw_rollup_base": "unit_id BIGINT, day DATE, dims_id INTEGER, bucket BIGINT,"
    " value DOUBLE PRECISION, n BIGINT",
    "sw_rollup_keys": "dims_id INTEGER, dims_key VARCHAR(400)",
    "sw_rollup_ancestor": "unit_id BIGINT, ancestor_id BIGINT",
    "sw_rollup_period": "day DATE, kind INTEGER, start DATE",
}
BULK_CACHE_KIB = 262144


def base_cells(indicator: Indicator, facts: Iterable[Fact]) -> Cells:
    """Facts summed per (unit, day, dimensions key, bucket)."""
    from safeward.analytics.rollups import dims_key

    distinct = indicator.aggregation == Aggregation.DISTINCT
    median = indicator.aggregation == Aggregation.MEDIAN
    cells: Cells = defaultdict(lambda: [0.0, 0])
    for fact in facts:
        bucket = int(fact.value) if distinct else round(fact.value) if median else 0
        cell = cells[(fact.unit_id, fact.day, dims_key(indicator, fact.dims), bucket)]
        cell[0] += 1.0 if distinct else float(fact.value)
        cell[1] += 1
    return cells


def write_rollups(
    indicator: Indicator,
    paths: dict[int, str],
    *,
    start: dt.date,
    end: dt.date,
    cells: Cells | None = None,
) -> int:
    """Insert the rollup rows of the facts dated ``[start, end]``; returns how many were written.

    ``cells`` are the Python-summed base cells; without them the indicator's
    fact query is grouped in the database.
    """
    from safeward.analytics.rollups import path_ids

    with connection.cursor() as cursor, _bulk_settings(cursor), _temp_tables(cursor):
        if cells is None:
            _load_base_from_query(cursor, indicator, start, end)
            units: Iterable[int] = paths
            days: Iterable[dt.date] = _days(start, end)
        else:
            if not cells:
                return 0
            _load_base_from_cells(cursor, cells)
            units = {key[0] for key in cells}
            days = {key[1] for key in cells}
        coarse = [k for k in indicator.stored_periods() if k != Period.DAY]
        _load(cursor, "sw_rollup_ancestor", 2, ((u, a) for u in units for a in path_ids(paths[u])))
        _load(
            cursor,
            "sw_rollup_period",
            3,
            ((d, PERIOD_ORDER.index(k), period_start(k, d)) for d in days for k in coarse),
        )
        cursor.execute("CREATE INDEX sw_rollup_keys_id ON sw_rollup_keys (dims_id)")
        _prepare_planner(cursor)
        key_params = _key_params(cursor)
        written = 0
        if indicator.supports(Period.DAY):
            cursor.execute(_day_rows_sql(), [indicator.code, *key_params])
            written += int(cursor.rowcount)
        cursor.execute(_fan_out_sql(), [indicator.code, *key_params])
        return written + int(cursor.rowcount)


def _load_base_from_cells(cursor: Any, cells: Cells) -> None:
    ids: dict[str, int] = {}
    rows = (
        (u, d, ids.setdefault(key, len(ids)), b, v, int(n))
        for (u, d, key, b), (v, n) in cells.items()
    )
    _load(cursor, "sw_rollup_base", 6, rows)
    _load(cursor, "sw_rollup_keys", 2, ((i, key) for key, i in ids.items()))


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@contextmanager
def _temp_tables(cursor: Any) -> Iterator[None]:
    for name, columns in TEMP_TABLES.items():
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    try:
        yield
    finally:
        for name in [*TEMP_TABLES, "sw_rollup_dims"]:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


@contextmanager
def _bulk_settings(cursor: Any) -> Iterator[None]:
    """On SQLite: a page cache large enough to sort and index the new rows in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _prepare_planner(cursor: Any) -> None:
    """On PostgreSQL: statistics for the fresh temporary tables, and room to sort in memory."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("SET LOCAL work_mem = '1GB'")
    for name in TEMP_TABLES:
        cursor.execute(f"ANALYZE {name}")


def _load(cursor: Any, table: str, width: int, rows: Iterable[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} VALUES ({', '.join(['%s'] * width)})"
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 50000:
            cursor.executemany(sql, batch)
            batch.clear()
    if batch:
        cursor.executemany(sql, batch)


def _load_base_from_query(cursor: Any, indicator: Indicator, start: dt.date, end: dt.date) -> None:
    """Copy the indicator's facts, with their dimensions key, into the base table (in SQL)."""
    from safeward.analytics.rollups import dims_key

    assert indicator.fact_query is not None
    query: FactQuery = indicator.fact_query(start, end)
    names = [name for name in sorted(query.dims) if name in indicator.dimensions]
    dims = {
        f"sw_d{i}": Coalesce(Cast(query_expression(query.dims[name]), CharField()), Value(""))
        for i, name in enumerate(names)
    }
    rows = query.queryset.annotate(
        sw_unit=query_expression(query.unit),
        sw_day=query_expression(query.day),
        sw_value=query_expression(query.value),
        **dims,
    )
    select, params = (
        rows.values("sw_unit", "sw_day", "sw_value", *dims).order_by().query.sql_with_params()
    )
    insert = "INSERT INTO sw_rollup_base (unit_id, day, dims_id, bucket, value, n)"
    if not names:
        _load(cursor, "sw_rollup_keys", 2, [(0, dims_key(indicator, {}))])
        cursor.execute(
            f"{insert} SELECT s.sw_unit, s.sw_day, 0, 0, s.sw_value, 1 FROM ({select}) s", params
        )
        return
    combos = {tuple(c) for c in rows.values_list(*dims).distinct().order_by()}
    columns = ", ".join(f"sw_d{i} VARCHAR(400)" for i in range(len(names)))
    cursor.execute(f"CREATE TEMPORARY TABLE sw_rollup_dims ({columns}, dims_id INTEGER)")
    ids: dict[str, int] = {}
    keyed = [
        (*c, ids.setdefault(dims_key(indicator, dict(zip(names, c, strict=True))), len(ids)))
        for c in combos
    ]
    _load(cursor, "sw_rollup_dims", len(names) + 1, keyed)
    _load(cursor, "sw_rollup_keys", 2, ((i, key) for key, i in ids.items()))
    on = " AND ".join(f"d.sw_d{i} = s.sw_d{i}" for i in range(len(names)))
    cursor.execute(
        f"{insert} SELECT s.sw_unit, s.sw_day, d.dims_id, 0, s.sw_value, 1"
        f" FROM ({select}) s JOIN sw_rollup_dims d ON {on}",
        params,
    )


def _insert_head() -> str:
    table = connection.ops.quote_name(RollupValue._meta.db_table)
    return (
        f"INSERT INTO {table} (indicator, period_kind, unit_id, period_start, dims_key, bucket,"
        " value, count)"
    )


def _key_of() -> str:
    """The dimensions key of ``g.dims_id``: an array subscript on PostgreSQL, a lookup on SQLite."""
    if connection.vendor == "postgresql":
        return "(%s::varchar[])[g.dims_id + 1]"
    return "(SELECT k.dims_key FROM sw_rollup_keys k WHERE k.dims_id = g.dims_id)"


def _key_params(cursor: Any) -> list[Any]:
    if connection.vendor != "postgresql":
        return []
    cursor.execute("SELECT dims_key FROM sw_rollup_keys ORDER BY dims_id")
    return [[row[0] for row in cursor.fetchall()]]


KIND_OF = (
    "CASE g.kind "
    + " ".join(f"WHEN {n} THEN '{kind}'" for n, kind in enumerate(PERIOD_ORDER))
    + " END"
)


def _day_rows_sql() -> str:
    group = "b.unit_id, b.day, b.dims_id, b.bucket"
    return (
        f"{_insert_head()} SELECT %s, 'day', g.unit_id, g.day, {_key_of()}, g.bucket, g.value, g.n"
        f" FROM (SELECT {group}, SUM(b.value) AS value, SUM(b.n) AS n"
        f" FROM sw_rollup_base b GROUP BY {group}) g"
        " ORDER BY g.unit_id, g.day, g.dims_id, g.bucket"
    )


def _fan_out_sql() -> str:
    # Grouped and ordered on numbers only: text sort keys compare through the locale on
    # PostgreSQL, several times slower. The period kind and dimensions key are looked up
    # per row; the rows reach the rollup index nearly in its order.
    group = "p.kind, a.ancestor_id, p.start, b.dims_id, b.bucket"
    return (
        f"{_insert_head()} SELECT %s, {KIND_OF}, g.ancestor_id, g.start, {_key_of()}, g.bucket,"
        " g.value, g.n"
        f" FROM (SELECT {group}, SUM(b.value) AS value, SUM(b.n) AS n"
        " FROM sw_rollup_base b"
        " JOIN sw_rollup_ancestor a ON a.unit_id = b.unit_id"
        " JOIN sw_rollup_period p ON p.day = b.day"
        f" GROUP BY {group}) g"
        " ORDER BY g.kind, g.ancestor_id, g.start, g.dims_id, g.bucket"
    )
