"""Writing rebuilt rollups inside the database.

The facts first go into a temporary *base* table of (unit, day, dimensions key,
bucket, value, count): copied by one ``INSERT ... SELECT`` over the source's
queryset when the indicator has a :class:`~safeward.analytics.registry.FactQuery`
and sums or counts, otherwise summed in Python from its fact source. The database then
writes the recording unit's day rows straight from the base table, and builds the
coarser rows level by level, deepest units first: a unit's rows for its finest
coarse period (a month) are its own facts plus its children's rows, so each level
groups the level below it (far fewer rows than the facts fanned out to every
ancestor), and its coarser periods (a year) group its own month rows. Each step
is one ``INSERT ... SELECT ... GROUP BY``. Dimension keys travel as small integers
until the last join, so the sorts compare numbers, not JSON text (which PostgreSQL
compares through the locale, several times slower).
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
    "sw_rollup_unit": "unit_id BIGINT, parent_id BIGINT, depth INTEGER",
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
        _load(cursor, "sw_rollup_unit", 3, _unit_rows(units, paths))
        # The finest coarse period's starts are days too: coarser periods are read from them.
        period_days = set(days)
        if coarse:
            period_days |= {period_start(coarse[0], d) for d in period_days}
        _load(
            cursor,
            "sw_rollup_period",
            3,
            ((d, PERIOD_ORDER.index(k), period_start(k, d)) for d in period_days for k in coarse),
        )
        cursor.execute("CREATE INDEX sw_rollup_keys_id ON sw_rollup_keys (dims_id)")
        _prepare_planner(cursor)
        key_params = _key_params(cursor)
        written = 0
        if indicator.supports(Period.DAY):
            cursor.execute(_day_rows_sql(), [indicator.code, *key_params])
            written += int(cursor.rowcount)
        if coarse:
            written += _write_levels(cursor, indicator.code, coarse, key_params)
        return written


def _unit_rows(
    units: Iterable[int], paths: dict[int, str]
) -> Iterator[tuple[int, int | None, int]]:
    """(unit, parent, depth) for the units with facts and all their ancestors."""
    from safeward.analytics.rollups import path_ids

    seen: set[int] = set()
    for unit in units:
        chain = path_ids(paths[unit])
        for depth, unit_id in enumerate(chain):
            if unit_id not in seen:
                seen.add(unit_id)
                yield unit_id, chain[depth - 1] if depth else None, depth


def _write_levels(cursor: Any, code: str, coarse: list[str], key_params: list[Any]) -> int:
    """The coarse rows of every unit, deepest level first; returns how many were written."""
    finest = PERIOD_ORDER.index(coarse[0])
    cursor.execute(
        "CREATE TEMPORARY TABLE sw_rollup_own AS"
        " SELECT u.depth AS depth, b.unit_id AS unit_id, p.start AS start, b.dims_id AS dims_id,"
        " b.bucket AS bucket, SUM(b.value) AS value, SUM(b.n) AS n"
        " FROM sw_rollup_base b"
        " JOIN sw_rollup_period p ON p.day = b.day AND p.kind = %s"
        " JOIN sw_rollup_unit u ON u.unit_id = b.unit_id"
        " GROUP BY u.depth, b.unit_id, p.start, b.dims_id, b.bucket",
        [finest],
    )
    cursor.execute("CREATE INDEX sw_rollup_own_depth ON sw_rollup_own (depth)")
    cursor.execute("CREATE INDEX sw_rollup_unit_id ON sw_rollup_unit (unit_id)")
    _analyze(cursor, "sw_rollup_own")
    cursor.execute("SELECT MAX(depth) FROM sw_rollup_own")
    deepest = cursor.fetchone()[0]
    if deepest is None:
        return 0
    cells = "unit_id, start, dims_id, bucket"
    written = 0
    below = ""
    for depth in range(deepest, -1, -1):
        level = f"sw_rollup_level{depth}"
        own = f"SELECT {cells}, value, n FROM sw_rollup_own WHERE depth = {depth}"
        if below:
            # This level's own facts, and the rows of the level below moved to their parents.
            source = (
                f"SELECT {cells}, SUM(value) AS value, SUM(n) AS n FROM ({own} UNION ALL"
                " SELECT u.parent_id, c.start, c.dims_id, c.bucket, c.value, c.n"
                f" FROM {below} c JOIN sw_rollup_unit u ON u.unit_id = c.unit_id) m"
                f" GROUP BY {cells}"
            )
        else:
            source = own
        cursor.execute(f"DROP TABLE IF EXISTS {level}")
        cursor.execute(f"CREATE TEMPORARY TABLE {level} AS {source}")
        _analyze(cursor, level)
        if below:
            cursor.execute(f"DROP TABLE {below}")
        cursor.execute(_level_rows_sql(level), [code, coarse[0], *key_params])
        written += int(cursor.rowcount)
        for kind in coarse[1:]:
            params = [code, kind, *key_params, PERIOD_ORDER.index(kind)]
            cursor.execute(_coarser_rows_sql(level), params)
            written += int(cursor.rowcount)
        below = level
    cursor.execute(f"DROP TABLE {below}")
    return written


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
        for name in [*TEMP_TABLES, "sw_rollup_dims", "sw_rollup_own"]:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


@contextmanager
def _bulk_settings(cursor: Any) -> Iterator[None]:
    """On SQLite: a page cache large enough to sort and index the new rows in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    cursor.execute("PRAGMA temp.cache_size")
    previous_temp = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    # The work tables and sorts live in the temporary database, which has its own cache.
    cursor.execute(f"PRAGMA temp.cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        cursor.execute(f"PRAGMA temp.cache_size = {int(previous_temp)}")


def _prepare_planner(cursor: Any) -> None:
    """On PostgreSQL: statistics for the fresh temporary tables, and room to sort in memory."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("SET LOCAL work_mem = '1GB'")
    for name in TEMP_TABLES:
        _analyze(cursor, name)


def _analyze(cursor: Any, table: str) -> None:
    """On PostgreSQL: statistics for a fresh temporary table, so joins over it plan well."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


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


def _day_rows_sql() -> str:
    group = "b.unit_id, b.day, b.dims_id, b.bucket"
    return (
        f"{_insert_head()} SELECT %s, 'day', g.unit_id, g.day, {_key_of()}, g.bucket, g.value, g.n"
        f" FROM (SELECT {group}, SUM(b.value) AS value, SUM(b.n) AS n"
        f" FROM sw_rollup_base b GROUP BY {group}) g"
        " ORDER BY g.unit_id, g.day, g.dims_id, g.bucket"
    )


def _level_rows_sql(level: str) -> str:
    """One level's rows of the finest coarse period, nearly in the rollup index's order."""
    return (
        f"{_insert_head()} SELECT %s, %s, g.unit_id, g.start, {_key_of()}, g.bucket, g.value, g.n"
        f" FROM {level} g ORDER BY g.unit_id, g.start, g.dims_id, g.bucket"
    )


def _coarser_rows_sql(level: str) -> str:
    """One level's rows of a coarser period, grouped from its finest coarse rows."""
    group = "c.unit_id, p.start, c.dims_id, c.bucket"
    return (
        f"{_insert_head()} SELECT %s, %s, g.unit_id, g.start, {_key_of()}, g.bucket, g.value, g.n"
        f" FROM (SELECT {group}, SUM(c.value) AS value, SUM(c.n) AS n"
        f" FROM {level} c JOIN sw_rollup_period p ON p.day = c.start AND p.kind = %s"
        f" GROUP BY {group}) g"
        " ORDER BY g.unit_id, g.start, g.dims_id, g.bucket"
    )
