"""Rollup rebuild and dashboard queries vs DuckDB GROUP BY over the same raw rows.

Data size: ``--rows`` synthetic reports (default 300,000; the issue's full size is
``--rows 10000000``) over 2019-2026, 20 categories, 6 statuses, 10,000 neighbourhoods
in 1,000 wards, 50 districts and 5 provinces, stored in the analytics app's
``SyntheticFact`` table. For SQLite and PostgreSQL (each in a fresh database) it
times the full rebuild of the ``synthetic.reports`` rollups (a count with a fact
query, so its facts are grouped in SQL: day rows for the recording unit, month
and year rows for it and every ancestor) and the p50 of three dashboard queries
through ``safeward.analytics.queries``:

- q1: category x month for one province over 2025,
- q2: the same for one district,
- q3: per-ward totals of one district over 2025.

Beside q1 it times the same figure read the other way (``q1_from_leaf_rows_ms``):
summing only the recording units' rows over the province's subtree, which is
what keeping rows per unit only (and no ancestor rows) would cost at read time.

The reference, in the same run, is DuckDB loading the same raw rows (from CSV) and
running the same GROUP BYs over them (joined to the unit paths).

Each database's own floor is printed beside its rebuild (``aggregate_s``): DuckDB's
aggregate (unit x month x category x status, into a table) run by that database over the
rows it stores. No rollup built inside the database can take less time than that one pass;
``rebuild_vs_own_aggregate`` is the rebuild's multiple of it. The second floor
(``write_floor_s``) is the time to copy the rebuild's own rows, already computed and
sorted, into an empty table shaped like the rollup table and commit them: what writing
that many indexed rows costs on this engine, whatever computes them.

Usage: python bench/rollup.py [--rows N] [--repeat 7] [--database-url postgres://...]
       [--skip-sqlite | --skip-postgres]
Ends with one JSON line: {"bench": "rollup", "figures": {...}, "ratios": {...}}.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://safeward:safeward@127.0.0.1:5432/safeward"
PROVINCES, DISTRICTS, WARDS, NEIGHBOURHOODS = 5, 50, 1000, 10000
CATEGORIES = [f"cat{n:02d}" for n in range(20)]
STATUSES = ["new", "triaged", "assigned", "in_progress", "resolved", "closed"]
FIRST_DAY, DAYS = dt.date(2019, 1, 1), (dt.date(2026, 12, 31) - dt.date(2019, 1, 1)).days + 1
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


# --- synthetic data ---------------------------------------------------------------------
def unit_rows() -> list[tuple[int, str, str, int | None, str, int]]:
    """(id, code, level, parent id, path, depth) for the whole synthetic tree."""
    rows: list[tuple[int, str, str, int | None, str, int]] = []
    levels = [
        ("province", PROVINCES),
        ("district", DISTRICTS),
        ("ward", WARDS),
        ("neighbourhood", NEIGHBOURHOODS),
    ]
    parents: list[tuple[int, str]] = [(0, "/")]
    next_id = 1
    for depth, (level, count) in enumerate(levels):
        per_parent = count // len(parents)
        current = []
        for parent_id, parent_path in parents:
            for _ in range(per_parent):
                path = f"{parent_path}{next_id}/"
                rows.append((next_id, f"B{next_id}", level, parent_id or None, path, depth))
                current.append((next_id, path))
                next_id += 1
        parents = current
    return rows


def write_facts(path: Path, rows: int, seed: int = 7) -> None:
    """The raw rows, as CSV (unit_id, day, category, status, value): loaded by every engine."""
    rng = random.Random(seed)
    first_nbhd = 1 + PROVINCES + DISTRICTS + WARDS
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for _ in range(rows):
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            writer.writerow(
                (
                    first_nbhd + rng.randrange(NEIGHBOURHOODS),
                    day.isoformat(),
                    rng.choice(CATEGORIES),
                    rng.choice(STATUSES),
                    1,
                )
            )


# --- SafeWard side (runs in a child process per database) --------------------------------
def child(database_url: str, facts_csv: Path, repeat: int) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeward.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection

    from safeward.analytics.models import FillState, RollupValue, SyntheticFact
    from safeward.core.models import AuditEvent, AuditSeal
    from safeward.geo.models import AdminUnit, UnitSuccession

    models = (AdminUnit, UnitSuccession, RollupValue, FillState, SyntheticFact)
    with connection.schema_editor() as editor:
        for model in (*models, AuditEvent, AuditSeal):
            editor.create_model(model)
    load_units(connection)
    started = time.perf_counter()
    load_facts(connection, facts_csv)
    load_s = time.perf_counter() - started
    figures = measure(repeat)
    return {
        "load_s": round(load_s, 3),
        **figures,
        "aggregate_s": engine_aggregate(connection),
        "write_floor_s": write_floor(connection),
    }


MONTH = {"sqlite": "substr(day, 1, 7)", "postgresql": "date_trunc('month', day)"}


def engine_aggregate(connection: Any) -> float:
    """The database's own floor: DuckDB's aggregate (unit x month x category x status) run
    by this engine over the same stored rows into a table, with the rebuild's memory settings.

    Any rollup built inside the database reads the raw rows at least once like this, so a
    rebuild cannot take less time than this on this engine.
    """
    from safeward.analytics.bulkwrite import BULK_CACHE_KIB

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute(f"PRAGMA temp.cache_size = -{BULK_CACHE_KIB}")
        else:
            cursor.execute("SET work_mem = '1GB'")
        started = time.perf_counter()
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_floor AS SELECT unit_id,"
            f" {MONTH[connection.vendor]} AS m, category, status, COUNT(*) AS n"
            " FROM analytics_syntheticfact GROUP BY 1, 2, 3, 4"
        )
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return round(elapsed, 3)


def write_floor(connection: Any) -> float:
    """The rebuild's other floor: the same rollup rows, already computed and in key order,
    copied into an empty table shaped like the rollup table (its primary key, its storage)
    and committed. A rebuild that writes these rows cannot take less time than that.
    """
    from django.db import transaction

    from safeward.analytics.bulkwrite import BULK_CACHE_KIB

    table = connection.ops.quote_name("analytics_rollupvalue")
    key = "indicator, period_kind, unit_id, period_start, dims_key, bucket"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'analytics_rollupvalue'")
            ddl = cursor.fetchone()[0].replace(table, "bench_write_floor", 1)
        else:
            cursor.execute("SET work_mem = '1GB'")
            ddl = f"CREATE TABLE bench_write_floor (LIKE {table} INCLUDING ALL)"
        cursor.execute(f"CREATE TEMPORARY TABLE bench_rows AS SELECT * FROM {table} ORDER BY {key}")
        cursor.execute(ddl)
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute("INSERT INTO bench_write_floor SELECT * FROM bench_rows")
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_write_floor")
        cursor.execute("DROP TABLE bench_rows")
    return round(elapsed, 3)


def load_units(connection: Any) -> None:
    table = connection.ops.quote_name("geo_adminunit")
    sql = (
        f"INSERT INTO {table} (id, code, name, short_name, kind, level, parent_id, path, depth,"
        " source, population) VALUES (%s, %s, %s, '', '', %s, %s, %s, %s, 'bench', 5000)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(i, c, c, lv, p, path, d) for i, c, lv, p, path, d in unit_rows()])


def load_facts(connection: Any, facts_csv: Path) -> None:
    table = connection.ops.quote_name("analytics_syntheticfact")
    columns = "(unit_id, day, category, status, value)"
    with connection.cursor() as cursor, facts_csv.open() as handle:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN WITH (FORMAT csv)") as copy:
                for block in iter(lambda: handle.read(1 << 20), ""):
                    copy.write(block)
            return
        reader = csv.reader(handle)
        sql = f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)"
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) >= 50000:
                cursor.executemany(sql, batch)
                batch.clear()
        cursor.executemany(sql, batch)


def measure(repeat: int) -> dict[str, Any]:
    from safeward.analytics import queries, registry
    from safeward.analytics.registry import Period
    from safeward.analytics.rollups import rebuild_all
    from safeward.analytics.synthetic import SYNTHETIC, register_synthetic
    from safeward.geo.models import AdminUnit

    register_synthetic()
    started = time.perf_counter()
    rows = rebuild_all([SYNTHETIC])[SYNTHETIC]
    rebuild_s = time.perf_counter() - started
    indicator = registry.get(SYNTHETIC)
    assert indicator is not None
    province = AdminUnit.objects.get(code="B1")
    district = AdminUnit.objects.filter(level="district").order_by("pk").first()
    assert district is not None
    wards = list(AdminUnit.objects.filter(parent=district))

    def q1() -> Any:
        return queries.series(indicator, province, *YEAR, Period.MONTH, by="category")

    def q2() -> Any:
        return queries.series(indicator, district, *YEAR, Period.MONTH, by="category")

    def q3() -> Any:
        return queries.per_unit(indicator, wards, *YEAR)

    def q1_leaf_rows() -> Any:
        return list(leaf_rows_query(province))

    return {
        "rebuild_s": round(rebuild_s, 3),
        "rollup_rows": rows,
        "q1_ms": p50(q1, repeat),
        "q1_from_leaf_rows_ms": p50(q1_leaf_rows, repeat),
        "q2_ms": p50(q2, repeat),
        "q3_ms": p50(q3, repeat),
        "check": {
            "q1_total": sum(v or 0 for v in q1().values()),
            "q3_total": sum(v or 0 for v in q3().values()),
        },
    }


def leaf_rows_query(province: Any) -> Any:
    """q1 as it would run with rows kept only at the recording unit: a subtree scan, summed in SQL."""
    from django.db.models import Sum

    from safeward.analytics.models import RollupValue
    from safeward.analytics.synthetic import SYNTHETIC

    return (
        RollupValue.objects.filter(
            indicator=SYNTHETIC,
            period_kind="month",
            unit__level="neighbourhood",
            unit__path__subtree=province.path,
            period_start__gte=YEAR[0],
            period_start__lte=YEAR[1],
        )
        .values("period_start", "dims_key")
        .annotate(total=Sum("value"))
    )


def p50(func: Any, repeat: int) -> float:
    func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


# --- DuckDB reference ---------------------------------------------------------------------
DUCK_Q1 = """
SELECT category, date_trunc('month', day) AS m, count(*) FROM facts JOIN units u ON u.id = facts.unit_id
WHERE u.path LIKE ? AND day BETWEEN ? AND ? GROUP BY 1, 2
"""
DUCK_Q3 = """
SELECT w.id, count(*) FROM facts JOIN units u ON u.id = facts.unit_id
JOIN units w ON u.path LIKE w.path || '%' AND w.parent_id = ?
WHERE day BETWEEN ? AND ? GROUP BY 1
"""


def duckdb_reference(facts_csv: Path, repeat: int) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE units (id INTEGER, code VARCHAR, level VARCHAR, parent_id INTEGER, path VARCHAR, depth INTEGER)"
    )
    con.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", unit_rows())
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE facts AS SELECT * FROM read_csv(?, header=false, "
        "columns={'unit_id': 'INTEGER', 'day': 'DATE', 'category': 'VARCHAR', 'status': 'VARCHAR', 'value': 'DOUBLE'})",
        [str(facts_csv)],
    )
    con.execute(
        "CREATE TABLE agg AS SELECT unit_id, date_trunc('month', day) m, category, status, count(*) n "
        "FROM facts GROUP BY ALL"
    ).fetchall()
    load_agg_s = time.perf_counter() - started
    district = con.execute(
        "SELECT id, path FROM units WHERE level = 'district' ORDER BY id LIMIT 1"
    ).fetchone()
    assert district is not None
    start, end = YEAR

    def q1() -> Any:
        return con.execute(DUCK_Q1, ["/1/%", start, end]).fetchall()

    def q2() -> Any:
        return con.execute(DUCK_Q1, [district[1] + "%", start, end]).fetchall()

    def q3() -> Any:
        return con.execute(DUCK_Q3, [district[0], start, end]).fetchall()

    return {
        "load_and_aggregate_s": round(load_agg_s, 3),
        "q1_ms": p50(q1, repeat),
        "q2_ms": p50(q2, repeat),
        "q3_ms": p50(q3, repeat),
        "check": {"q1_total": sum(r[2] for r in q1()), "q3_total": sum(r[1] for r in q3())},
    }


# --- orchestration --------------------------------------------------------------------------
def run_child(database_url: str, facts_csv: Path, repeat: int) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        database_url,
        "--facts",
        str(facts_csv),
        "--repeat",
        str(repeat),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {database_url.split(':')[0]} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def postgres_database(base_url: str) -> tuple[str, Any]:
    import psycopg

    name = f"bench_rollup_{uuid.uuid4().hex[:8]}"
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base_url.rsplit("/", 1)[0] + "/" + name, drop


def ratios(engines: dict[str, dict[str, Any]], duck: dict[str, Any]) -> dict[str, float]:
    result = {}
    for engine, figures in engines.items():
        result[f"{engine}_rebuild_vs_duckdb"] = round(
            figures["rebuild_s"] / duck["load_and_aggregate_s"], 2
        )
        result[f"{engine}_rebuild_vs_own_aggregate"] = round(
            figures["rebuild_s"] / figures["aggregate_s"], 2
        )
        result[f"{engine}_write_floor_vs_own_aggregate"] = round(
            figures["write_floor_s"] / figures["aggregate_s"], 2
        )
        result[f"{engine}_own_aggregate_vs_duckdb"] = round(
            figures["aggregate_s"] / duck["load_and_aggregate_s"], 2
        )
        for q in ("q1_ms", "q2_ms", "q3_ms"):
            result[f"{engine}_{q[:2]}_vs_duckdb"] = round(figures[q] / max(duck[q], 1e-6), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--facts")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.facts), args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        facts_csv = Path(tmp) / "facts.csv"
        write_facts(facts_csv, args.rows)
        print(
            f"data: {args.rows:,} reports, {NEIGHBOURHOODS:,} neighbourhoods, {WARDS:,} wards, "
            f"{DISTRICTS} districts, {PROVINCES} provinces, 2019-2026",
            flush=True,
        )
        duck = duckdb_reference(facts_csv, args.repeat)
        print("duckdb", json.dumps(duck), flush=True)
        engines = {}
        if not args.skip_sqlite:
            sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            engines["sqlite"] = run_child(sqlite_url, facts_csv, args.repeat)
            print("sqlite", json.dumps(engines["sqlite"]), flush=True)
        if not args.skip_postgres:
            url, drop = postgres_database(args.database_url)
            try:
                engines["postgresql"] = run_child(url, facts_csv, args.repeat)
            finally:
                drop()
            print("postgresql", json.dumps(engines["postgresql"]), flush=True)
    figures = {"rows": args.rows, "duckdb": duck, **engines}
    print(json.dumps({"bench": "rollup", "figures": figures, "ratios": ratios(engines, duck)}))


if __name__ == "__main__":
    main()
