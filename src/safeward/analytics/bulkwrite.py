"""Writing rebuilt rollups inside the database: a few grouped statements per indicator.

The facts first go into a temporary *base* table of (unit, day, dimensions key,
bucket, value, count): copied by one ``INSERT ... SELECT`` over the source's
queryset when the indicator has a :class:`~safeward.analytics.registry.FactQuery`
and sums or counts, otherwise summed in Python from its fact source. A second
temporary table holds the unit tree, (unit, parent, depth), for the units with facts
and every unit on their materialised paths. A unit retired by a reorganisation keeps
its place in the tree, so facts recorded under it before the change roll up to its
own ancestors and facts recorded under its successor to the successor's (mapping one
onto the other is a read-time matter, ``analytics.mapping``).

Then every row is computed by ``INSERT ... SELECT ... GROUP BY`` statements into a
temporary *rows* table: the recording unit's day rows group the base table; the
coarser rows are built level by level, deepest units first: a unit's rows for its
finest coarse period (a month) are its own facts plus its children's rows, so each
level groups the level below it moved to the parents (far fewer rows than the facts
fanned out to every ancestor in one grouping, which measured twice as slow on SQLite
and no faster on PostgreSQL), and its coarser periods (a year) group its own month
rows. Period starts are computed in SQL (``PERIOD_START``, per vendor). All of this
touches only the connection's temporary tables, so it runs before the caller's
transaction and holds no write lock; :meth:`PreparedRollups.write` then copies the
rows into the rollup table with one ``INSERT ... SELECT`` inside it. Dimension keys
travel as small integers numbered in the keys' own order, so the sorts compare
numbers (PostgreSQL compares text through the locale, several times slower) and the
rows arrive in runs of the rollup table's primary-key order.
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
from safeward.analytics.registry import (
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
    "sw_rollup_keys": "dims_id INTEGER PRIMARY KEY, dims_key VARCHAR(400)",
    "sw_rollup_unit": "unit_id BIGINT PRIMARY KEY, parent_id BIGINT, depth INTEGER",
    "sw_rollup_rows": "kind VARCHAR(8), unit_id BIGINT, start DATE, dims_id INTEGER,"
    " bucket BIGINT, value DOUBLE PRECISION, n BIGINT",
}
BULK_CACHE_KIB = 262144

# The first day of the period a ``day`` column falls in, per vendor (dates are ISO text on SQLite).
PERIOD_START: dict[str, dict[str, str]] = {
    "sqlite": {
        Period.MONTH: "substr({day}, 1, 8) || '01'",
        Period.QUARTER: "substr({day}, 1, 5) || CASE WHEN substr({day}, 6, 2) <= '03' THEN '01'"
        " WHEN substr({day}, 6, 2) <= '06' THEN '04' WHEN substr({day}, 6, 2) <= '09' THEN '07'"
        " ELSE '10' END || '-01'",
        Period.YEAR: "substr({day}, 1, 5) || '01-01'",
    },
    "postgresql": {
        kind: f"CAST(date_trunc('{kind}', CAST({{day}} AS timestamp)) AS date)"
        for kind in (Period.MONTH, Period.QUARTER, Period.YEAR)
    },
}


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


class PreparedRollups:
    """An indicator's rebuilt rows, computed into a temporary table and not yet written."""

    def __init__(self, cursor: Any, code: str, key_params: list[Any]) -> None:
        self.cursor, self.code, self.key_params = cursor, code, key_params

    def write(self) -> int:
        """Copy the rows into the rollup table (one statement); returns how many were written."""
        self.cursor.execute(
            f"{_insert_head()} SELECT %s, r.kind, r.unit_id, r.start, {_key_of('r')}, r.bucket,"
            " r.value, r.n FROM sw_rollup_rows r",
            [self.code, *self.key_params],
        )
        return int(self.cursor.rowcount)


@contextmanager
def prepared_rollups(
    indicator: Indicator,
    paths: dict[int, str],
    *,
    start: dt.date,
    end: dt.date,
    cells: Cells | None = None,
) -> Iterator[PreparedRollups]:
    """Compute the rollup rows of the facts dated ``[start, end]`` into a temporary table.

    The work happens in this connection's temporary tables only, so it needs no
    transaction and holds no write lock: the caller writes the result with
    :meth:`PreparedRollups.write` in its own short transaction. ``cells`` are the
    Python-summed base cells; without them the indicator's fact query is grouped in
    the database.
    """
    with connection.cursor() as cursor, _bulk_settings(cursor), _temp_tables(cursor):
        if cells is None:
            units: Iterable[int] = _load_base_from_query(cursor, indicator, start, end)
        else:
            _load_base_from_cells(cursor, cells)
            units = {key[0] for key in cells}
        _load(cursor, "sw_rollup_unit", 3, _unit_rows(units, paths))
        for name in TEMP_TABLES:
            _analyze(cursor, name)
        kinds = indicator.stored_periods()
        if kinds[0] == Period.DAY:
            cursor.execute(_day_rows_sql())
        coarse = [k for k in kinds if k != Period.DAY]
        if coarse:
            _write_levels(cursor, coarse)
        yield PreparedRollups(cursor, indicator.code, _key_params(cursor))


def write_rollups(
    indicator: Indicator,
    paths: dict[int, str],
    *,
    start: dt.date,
    end: dt.date,
    cells: Cells | None = None,
) -> int:
    """Compute and insert the rollup rows of the facts dated ``[start, end]``; returns how
    many were written."""
    with prepared_rollups(indicator, paths, start=start, end=end, cells=cells) as rows:
        return rows.write()


def _unit_rows(
    units: Iterable[int], paths: dict[int, str]
) -> Iterator[tuple[int, int | None, int]]:
    """(unit, parent, depth) for the units with facts and every unit on their paths."""
    from safeward.analytics.rollups import path_ids

    seen: set[int] = set()
    for unit in units:
        chain = path_ids(paths[unit])
        for depth, unit_id in enumerate(chain):
            if unit_id not in seen:
                seen.add(unit_id)
                yield unit_id, chain[depth - 1] if depth else None, depth


CELL = "unit_id, start, dims_id, bucket"


def _write_levels(cursor: Any, coarse: list[str]) -> None:
    """The coarse rows of every unit, deepest level first.

    A unit's rows of the finest coarse period are its own facts plus its children's
    rows, so each level groups the level below it (moved to the parents) and the facts
    recorded at that level; its coarser periods group its own finest rows.
    """
    finest = PERIOD_START[connection.vendor][coarse[0]].format(day="b.day")
    cursor.execute(
        "CREATE TEMPORARY TABLE sw_rollup_own AS"
        f" SELECT u.depth AS depth, b.unit_id AS unit_id, {finest} AS start,"
        " b.dims_id AS dims_id, b.bucket AS bucket, SUM(b.value) AS value, SUM(b.n) AS n"
        " FROM sw_rollup_base b JOIN sw_rollup_unit u ON u.unit_id = b.unit_id"
        f" GROUP BY u.depth, b.unit_id, {finest}, b.dims_id, b.bucket"
    )
    cursor.execute("CREATE INDEX sw_rollup_own_depth ON sw_rollup_own (depth)")
    _analyze(cursor, "sw_rollup_own")
    cursor.execute("SELECT MAX(depth) FROM sw_rollup_own")
    deepest = cursor.fetchone()[0]
    if deepest is None:
        return
    below = ""
    for depth in range(deepest, -1, -1):
        level = f"sw_rollup_level{depth}"
        own = f"SELECT {CELL}, value, n FROM sw_rollup_own WHERE depth = {depth}"
        if below:
            # The facts recorded at this level, and the rows of the level below moved to
            # their parents.
            moved = (
                "SELECT u.parent_id, c.start, c.dims_id, c.bucket, c.value, c.n"
                f" FROM {below} c JOIN sw_rollup_unit u ON u.unit_id = c.unit_id"
            )
            source = (
                f"SELECT {CELL}, SUM(value) AS value, SUM(n) AS n"
                f" FROM ({own} UNION ALL {moved}) m GROUP BY {CELL} ORDER BY {CELL}"
            )
        else:
            source = f"{own} ORDER BY {CELL}"
        cursor.execute(f"DROP TABLE IF EXISTS {level}")
        cursor.execute(f"CREATE TEMPORARY TABLE {level} AS {source}")
        _analyze(cursor, level)
        if below:
            cursor.execute(f"DROP TABLE {below}")
        cursor.execute(_level_rows_sql(level, coarse[0]))
        for kind in coarse[1:]:
            cursor.execute(_coarser_rows_sql(level, kind))
        below = level
    cursor.execute(f"DROP TABLE {below}")


ROWS_HEAD = "INSERT INTO sw_rollup_rows (kind, unit_id, start, dims_id, bucket, value, n)"


def _day_rows_sql() -> str:
    """The recording unit's day rows, grouped in the rollup table's key order."""
    group = "b.unit_id, b.day, b.dims_id, b.bucket"
    return (
        f"{ROWS_HEAD} SELECT '{Period.DAY}', {group}, SUM(b.value), SUM(b.n)"
        f" FROM sw_rollup_base b GROUP BY {group} ORDER BY {group}"
    )


def _level_rows_sql(level: str, kind: str) -> str:
    """One level's rows of the finest coarse period.

    The level table was written in key order; on PostgreSQL, whose heap keeps no order,
    the rows are sorted again (numbers only), on SQLite they are read as written.
    """
    order = f" ORDER BY {CELL}" if connection.vendor == "postgresql" else ""
    return f"{ROWS_HEAD} SELECT '{kind}', {CELL}, value, n FROM {level}{order}"


def _coarser_rows_sql(level: str, kind: str) -> str:
    """One level's rows of a coarser period, grouped from its finest coarse rows."""
    start = PERIOD_START[connection.vendor][kind].format(day="c.start")
    group = f"c.unit_id, {start}, c.dims_id, c.bucket"
    return (
        f"{ROWS_HEAD} SELECT '{kind}', {group}, SUM(c.value), SUM(c.n)"
        f" FROM {level} c GROUP BY {group} ORDER BY {group}"
    )


def _load_base_from_cells(cursor: Any, cells: Cells) -> None:
    ids = _numbered({key for (_u, _d, key, _b) in cells})
    rows = ((u, d, ids[key], b, v, int(n)) for (u, d, key, b), (v, n) in cells.items())
    _load(cursor, "sw_rollup_base", 6, rows)
    _load(cursor, "sw_rollup_keys", 2, ((i, key) for key, i in ids.items()))


def _numbered(keys: Iterable[str]) -> dict[str, int]:
    """Dimension keys numbered in their sorted order, so numbers sort as the keys do."""
    return {key: n for n, key in enumerate(sorted(keys))}


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
    """Room to sort in memory: SQLite's page caches, PostgreSQL's ``work_mem`` (for this
    session until the work is done, as it may run outside a transaction)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET work_mem = '1GB'")
        try:
            yield
        finally:
            cursor.execute("RESET work_mem")
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


def _load_base_from_query(
    cursor: Any, indicator: Indicator, start: dt.date, end: dt.date
) -> list[int]:
    """Copy the indicator's facts, with their dimensions key, into the base table (in SQL).

    Returns the units the facts were recorded under.
    """
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
    else:
        combos = {tuple(c) for c in rows.values_list(*dims).distinct().order_by()}
        keys = {c: dims_key(indicator, dict(zip(names, c, strict=True))) for c in combos}
        ids = _numbered(keys.values())
        columns = ", ".join(f"sw_d{i} VARCHAR(400)" for i in range(len(names)))
        cursor.execute(f"CREATE TEMPORARY TABLE sw_rollup_dims ({columns}, dims_id INTEGER)")
        _load(cursor, "sw_rollup_dims", len(names) + 1, ((*c, ids[k]) for c, k in keys.items()))
        _load(cursor, "sw_rollup_keys", 2, ((i, key) for key, i in ids.items()))
        on = " AND ".join(f"d.sw_d{i} = s.sw_d{i}" for i in range(len(names)))
        cursor.execute(
            f"{insert} SELECT s.sw_unit, s.sw_day, d.dims_id, 0, s.sw_value, 1"
            f" FROM ({select}) s JOIN sw_rollup_dims d ON {on}",
            params,
        )
    cursor.execute("SELECT DISTINCT unit_id FROM sw_rollup_base")
    return [row[0] for row in cursor.fetchall()]


def _insert_head() -> str:
    table = connection.ops.quote_name(RollupValue._meta.db_table)
    return (
        f"INSERT INTO {table} (indicator, period_kind, unit_id, period_start, dims_key, bucket,"
        " value, count)"
    )


def _key_of(alias: str) -> str:
    """The dimensions key of ``<alias>.dims_id``: an array subscript on PostgreSQL, a lookup
    on SQLite."""
    if connection.vendor == "postgresql":
        return f"(%s::varchar[])[{alias}.dims_id + 1]"
    return f"(SELECT k.dims_key FROM sw_rollup_keys k WHERE k.dims_id = {alias}.dims_id)"


def _key_params(cursor: Any) -> list[Any]:
    if connection.vendor != "postgresql":
        return []
    cursor.execute("SELECT dims_key FROM sw_rollup_keys ORDER BY dims_id")
    return [[row[0] for row in cursor.fetchall()]]
