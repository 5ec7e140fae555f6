"""Writing rebuilt rollups inside the database.

The facts are summed once per (unit, day, dimensions, bucket) in Python; the
database then fans each of those out to the unit's ancestors and to every
period kind with one ``INSERT ... SELECT ... GROUP BY`` over two small mapping
tables, which is several times faster than sending every rollup row over the
connection.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection

from safeward.analytics.models import RollupValue
from safeward.analytics.periods import period_start
from safeward.analytics.registry import Aggregation, Fact, Indicator

BaseKey = tuple[int, dt.date, str, int]
TEMP_TABLES = {
    "sw_rollup_base": "unit_id BIGINT, day DATE, dims_key VARCHAR(400), bucket BIGINT,"
    " value DOUBLE PRECISION, n BIGINT",
    "sw_rollup_ancestor": "unit_id BIGINT, ancestor_id BIGINT",
    "sw_rollup_period": "day DATE, kind VARCHAR(8), start DATE",
}


def base_cells(indicator: Indicator, facts: Iterable[Fact]) -> dict[BaseKey, list[float]]:
    """Facts summed per (unit, day, dimensions key, bucket)."""
    from safeward.analytics.rollups import dims_key

    distinct = indicator.aggregation == Aggregation.DISTINCT
    median = indicator.aggregation == Aggregation.MEDIAN
    cells: dict[BaseKey, list[float]] = defaultdict(lambda: [0.0, 0])
    for fact in facts:
        bucket = int(fact.value) if distinct else round(fact.value) if median else 0
        cell = cells[(fact.unit_id, fact.day, dims_key(indicator, fact.dims), bucket)]
        cell[0] += 1.0 if distinct else float(fact.value)
        cell[1] += 1
    return cells


def write_rollups(
    indicator: Indicator, cells: dict[BaseKey, list[float]], paths: dict[int, str]
) -> int:
    """Insert the rollup rows derived from ``cells``; returns how many were written."""
    from safeward.analytics.rollups import path_ids

    if not cells:
        return 0
    units = {key[0] for key in cells}
    days = {key[1] for key in cells}
    ancestors = [(u, a) for u in units for a in path_ids(paths[u])]
    periods = [(d, k, period_start(k, d)) for d in days for k in indicator.periods()]
    base = ((u, d, key, b, v, int(n)) for (u, d, key, b), (v, n) in cells.items())
    with connection.cursor() as cursor:
        try:
            _create_temp_tables(cursor)
            _load(cursor, "sw_rollup_base", 6, base)
            _load(cursor, "sw_rollup_ancestor", 2, ancestors)
            _load(cursor, "sw_rollup_period", 3, periods)
            _prepare_planner(cursor)
            cursor.execute(_fan_out_sql(), [indicator.code])
            return int(cursor.rowcount)
        finally:
            for name in TEMP_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _create_temp_tables(cursor: Any) -> None:
    for name, columns in TEMP_TABLES.items():
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")


def _prepare_planner(cursor: Any) -> None:
    """On PostgreSQL: statistics for the fresh temporary tables, and room to sort in memory."""
    if connection.vendor != "postgresql":
        return
    cursor.execute("SET LOCAL work_mem = '256MB'")
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


def _fan_out_sql() -> str:
    table = connection.ops.quote_name(RollupValue._meta.db_table)
    group = "p.kind, a.ancestor_id, p.start, b.dims_key, b.bucket"
    return (
        f"INSERT INTO {table} (indicator, period_kind, unit_id, period_start, dims_key, bucket,"
        " value, count)"
        f" SELECT %s, {group}, SUM(b.value), SUM(b.n)"
        " FROM sw_rollup_base b"
        " JOIN sw_rollup_ancestor a ON a.unit_id = b.unit_id"
        " JOIN sw_rollup_period p ON p.day = b.day"
        f" GROUP BY {group} ORDER BY {group}"
    )
