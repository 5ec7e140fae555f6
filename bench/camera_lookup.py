"""Which cameras could have seen this: the project's lookup against cKDTree and PostGIS.

Data size: 1,000,000 cameras placed uniformly in a 200 x 150 km box around Quảng Ninh
(bearing, field of view, range, retention, status, sharing mode, consent all random),
and 1,000 incidents, half of them next to a random camera. The project's own
``camera_candidates_for_point`` runs on SQLite and on PostgreSQL; the references,
measured in the same run on the same data, are ``scipy.spatial.cKDTree`` in memory and
PostGIS ``ST_DWithin`` on a GiST-indexed geography column (same filters, same exact
sector check). Every engine's answers are compared with a brute-force numpy check.

Usage: python bench/camera_lookup.py [--cameras N] [--incidents N]
       [--pg-url postgres://safeward:safeward@127.0.0.1:5432/postgres]
Prints figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SOUTH, WEST = 20.525, 106.435
LAT_SPAN = 150_000 / 111_320
LON_SPAN = 200_000 / (111_320 * math.cos(math.radians(21.2)))
NOW = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
EARTH_R = 6_371_008.8
STATUSES = np.array(["working", "broken", "retired"])
MODES = np.array(["on_request", "live", "registry"])


# --- data ------------------------------------------------------------------------------
def make_data(n: int, incidents: int, seed: int = 2026) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d = {
        "lat": SOUTH + rng.random(n) * LAT_SPAN,
        "lon": WEST + rng.random(n) * LON_SPAN,
        "bearing": rng.integers(0, 360, n).astype(float),
        "fov": rng.choice([60.0, 90.0, 110.0, 360.0], n),
        "range": rng.integers(20, 101, n),
        "retention": rng.choice([3, 7, 14, 30], n),
        "status": rng.choice(3, n, p=[0.93, 0.05, 0.02]),
        "mode": rng.choice(3, n, p=[0.7, 0.15, 0.15]),
        "consent": rng.random(n) < 0.96,
    }
    near = rng.integers(0, n, incidents)
    half = np.arange(incidents) % 2 == 0
    d["q_lat"] = np.where(half, d["lat"][near] + rng.uniform(-6e-4, 6e-4, incidents), 0.0)
    d["q_lon"] = np.where(half, d["lon"][near] + rng.uniform(-6e-4, 6e-4, incidents), 0.0)
    d["q_lat"][~half] = SOUTH + rng.random((~half).sum()) * LAT_SPAN
    d["q_lon"][~half] = WEST + rng.random((~half).sum()) * LON_SPAN
    d["q_age_h"] = rng.uniform(1, 24 * 20, incidents)
    return d


def _hav(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _bearing(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    x = np.sin(dl) * np.cos(p2)
    y = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return (np.degrees(np.arctan2(x, y)) + 360.0) % 360.0


def exact(d: dict[str, np.ndarray], idx: np.ndarray, q: int) -> list[int]:
    """The exact rule on candidate indexes ``idx``, as camera ids (index + 1) by distance."""
    lat, lon, age_days = d["q_lat"][q], d["q_lon"][q], d["q_age_h"][q] / 24
    ok = (d["status"][idx] == 0) & (d["mode"][idx] < 2) & d["consent"][idx]
    ok &= d["retention"][idx] >= age_days
    idx = idx[ok]
    dist = _hav(d["lat"][idx], d["lon"][idx], lat, lon)
    diff = np.abs(_bearing(d["lat"][idx], d["lon"][idx], lat, lon) - d["bearing"][idx]) % 360
    diff = np.where(diff > 180, 360 - diff, diff)
    seen = (dist <= d["range"][idx]) & (
        (d["fov"][idx] >= 360) | (dist < 0.01) | (diff <= d["fov"][idx] / 2 + 1e-9)
    )
    order = np.lexsort((idx[seen], dist[seen]))
    return [int(i) + 1 for i in idx[seen][order]]


def brute_force(d: dict[str, np.ndarray]) -> list[list[int]]:
    everything = np.arange(len(d["lat"]))
    return [exact(d, everything, q) for q in range(len(d["q_lat"]))]


def kdtree(d: dict[str, np.ndarray]) -> tuple[list[list[int]], list[float], float]:
    from scipy.spatial import cKDTree

    def xyz(lat: Any, lon: Any) -> Any:
        phi, lam = np.radians(lat), np.radians(lon)
        return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])

    start = time.perf_counter()
    tree = cKDTree(xyz(d["lat"], d["lon"]))
    build = time.perf_counter() - start
    chord = 2 * math.sin(101 / (2 * EARTH_R)) * 1.000001
    results, times = [], []
    for q in range(len(d["q_lat"])):
        t0 = time.perf_counter()
        near = tree.query_ball_point(xyz(d["q_lat"][q], d["q_lon"][q])[0], chord)
        results.append(exact(d, np.array(near, dtype=np.int64), q))
        times.append(time.perf_counter() - t0)
    return results, times, build


# --- the project's lookup and PostGIS, in a worker per database -------------------------
def worker(engine: str, data_file: str, pg_url: str) -> None:
    d = dict(np.load(data_file))
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-cam-"))
    if engine == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = _scratch_pg(pg_url)
    os.environ["SAFEWARD_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeward.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_cameras(d, engine)
    out: dict[str, Any] = {"lookup": measure_lookup(d)}
    if engine == "postgres":
        out["postgis"] = measure_postgis(d)
    print(json.dumps(out))


def _scratch_pg(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS sw_bench_cameras")
        conn.execute("CREATE DATABASE sw_bench_cameras")
    return url.rsplit("/", 1)[0] + "/sw_bench_cameras"


CAMERA_COLS = (
    "id, unit_id, custodian_kind, custodian_label, contact, preferred_channel, latitude, "
    "longitude, cell, bearing, fov, range_m, recording_mode, retention_days, sharing_mode, "
    "status, clock_offset_s, cost_vnd, signage_confirmed, installed_on, created_at, "
    "consent_active"
)
CONSENT_COLS = "camera_id, terms_version, scope, granted_at, withdrawn_at, captured_how"
CHUNK = 50_000


def _camera_rows(d: dict[str, np.ndarray], unit_id: int, lo: int, hi: int) -> list[tuple]:
    from safeward.cameras.grid import grid_cell

    return [
        (
            i + 1, unit_id, "household", "bench", "", "in_app", float(d["lat"][i]),
            float(d["lon"][i]), grid_cell(float(d["lat"][i]), float(d["lon"][i])),
            float(d["bearing"][i]), float(d["fov"][i]), int(d["range"][i]), "continuous",
            int(d["retention"][i]), str(MODES[d["mode"][i]]), str(STATUSES[d["status"][i]]),
            0, 0, False, "2024-01-01", NOW.isoformat(), bool(d["consent"][i]),
        )
        for i in range(lo, hi)
    ]  # fmt: skip


def _consent_rows(d: dict[str, np.ndarray], lo: int, hi: int) -> list[tuple]:
    withdrawn = NOW.isoformat()
    return [
        (
            i + 1,
            "1",
            "on_request",
            NOW.isoformat(),
            None if d["consent"][i] else withdrawn,
            "import",
        )
        for i in range(lo, hi)
    ]


def load_cameras(d: dict[str, np.ndarray], engine: str) -> None:
    from django.db import connection

    from safeward.geo.models import AdminUnit

    unit = AdminUnit.objects.create(code="BENCH", name="Bench", level="neighbourhood", path="/1/")
    n = len(d["lat"])
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        _bulk(connection, "cameras_camera", CAMERA_COLS, _camera_rows(d, unit.pk, lo, hi), engine)
        _bulk(connection, "cameras_consentrecord", CONSENT_COLS, _consent_rows(d, lo, hi), engine)
    with connection.cursor() as cur:
        # What autovacuum does after a bulk load: statistics, and on PostgreSQL the
        # visibility map that lets the lookup's covering index answer alone.
        cur.execute("VACUUM ANALYZE" if engine == "postgres" else "ANALYZE")


def _bulk(connection: Any, table: str, cols: str, rows: list[tuple], engine: str) -> None:
    if engine == "postgres":
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def measure_lookup(d: dict[str, np.ndarray]) -> dict[str, Any]:
    from safeward.cameras.lookup import camera_candidates_for_point

    results, times = [], []
    for q in range(len(d["q_lat"])):
        when = NOW - dt.timedelta(hours=float(d["q_age_h"][q]))
        lat, lon = float(d["q_lat"][q]), float(d["q_lon"][q])
        t0 = time.perf_counter()
        found = camera_candidates_for_point(lat, lon, when, now=NOW)
        times.append(time.perf_counter() - t0)
        results.append([c.camera.pk for c in found])
    return {"results": results, "times": times}


def measure_postgis(d: dict[str, np.ndarray]) -> dict[str, Any]:
    from django.db import connection

    from safeward.geo.geometry import angle_between, bearing_deg

    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute(
            "CREATE TABLE pg_cam AS SELECT c.id, c.bearing, c.fov, c.range_m, c.retention_days,"
            " c.status, c.sharing_mode, (k.withdrawn_at IS NULL) AS consent,"
            " ST_SetSRID(ST_MakePoint(c.longitude, c.latitude), 4326)::geography AS geog,"
            " c.latitude, c.longitude FROM cameras_camera c JOIN cameras_consentrecord k"
            " ON k.camera_id = c.id"
        )
        cur.execute("CREATE INDEX pg_cam_geog ON pg_cam USING GIST (geog)")
        cur.execute("ANALYZE pg_cam")
    sql = (
        "SELECT id, latitude, longitude, bearing, fov, ST_Distance(geog, p, false) FROM pg_cam,"
        " (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS p) q"
        " WHERE ST_DWithin(geog, p, 500, false) AND ST_DWithin(geog, p, range_m, false)"
        " AND status = 'working' AND sharing_mode IN ('on_request', 'live') AND consent"
        " AND retention_days * 86400 >= %s ORDER BY 6, 1"
    )
    results, times = [], []
    raw = connection.connection
    for q in range(len(d["q_lat"])):
        lat, lon, age_s = float(d["q_lat"][q]), float(d["q_lon"][q]), d["q_age_h"][q] * 3600
        t0 = time.perf_counter()
        with raw.cursor() as cur:
            cur.execute(sql, (lon, lat, float(age_s)))
            rows = cur.fetchall()
        kept = [
            r[0]
            for r in rows
            if r[4] >= 360
            or r[5] < 0.01
            or angle_between(bearing_deg(r[1], r[2], lat, lon), r[3]) <= r[4] / 2 + 1e-9
        ]
        times.append(time.perf_counter() - t0)
        results.append(kept)
    return {"results": results, "times": times}


# --- the orchestrating run ------------------------------------------------------------
def pct(times: list[float], p: float) -> float:
    return round(float(np.percentile(np.array(times) * 1000, p)), 3)


def mismatches(truth: list[list[int]], got: list[list[int]]) -> int:
    """Incidents whose set of cameras differs from brute force (order is checked by tests)."""
    return sum(
        1
        for want, have in zip(truth, got, strict=True)
        if set(want) != set(have) or len(want) != len(have)
    )


def run_worker(engine: str, data_file: str, pg_url: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", engine, "--data", data_file, "--pg-url", pg_url]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=1_000)
    parser.add_argument("--pg-url", default="postgres://safeward:safeward@127.0.0.1:5432/postgres")
    parser.add_argument("--worker", choices=["sqlite", "postgres"])
    parser.add_argument("--data")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.pg_url)
        return
    started = time.perf_counter()
    d = make_data(args.cameras, args.incidents)
    data_file = str(Path(tempfile.mkdtemp(prefix="sw-bench-data-")) / "data.npz")
    np.savez(data_file, **d)
    truth = brute_force(d)
    kd_results, kd_times, kd_build = kdtree(d)
    sqlite = run_worker("sqlite", data_file, args.pg_url)
    pg = run_worker("postgres", data_file, args.pg_url)
    engines = {
        "lookup_sqlite": sqlite["lookup"],
        "lookup_postgres": pg["lookup"],
        "postgis_st_dwithin": pg["postgis"],
        "ckdtree": {"results": kd_results, "times": kd_times},
    }
    figures: dict[str, Any] = {
        "cameras": args.cameras,
        "incidents": args.incidents,
        "incidents_with_candidates": sum(1 for t in truth if t),
        "ckdtree_build_s": round(kd_build, 2),
    }
    for name, res in engines.items():
        figures[f"{name}_p50_ms"] = pct(res["times"], 50)
        figures[f"{name}_p99_ms"] = pct(res["times"], 99)
        figures[f"{name}_mismatches"] = mismatches(truth, res["results"])
        print(
            f"{name:22} p50 {figures[f'{name}_p50_ms']:8.3f} ms  p99 "
            f"{figures[f'{name}_p99_ms']:8.3f} ms  mismatches {figures[f'{name}_mismatches']}"
        )
    postgis = figures["postgis_st_dwithin_p50_ms"]
    ratios = {
        "sqlite_p50_over_postgis_p50": round(figures["lookup_sqlite_p50_ms"] / postgis, 3),
        "postgres_p50_over_postgis_p50": round(figures["lookup_postgres_p50_ms"] / postgis, 3),
        "sqlite_p50_over_ckdtree_p50": round(
            figures["lookup_sqlite_p50_ms"] / figures["ckdtree_p50_ms"], 3
        ),
    }
    figures["runtime_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps({"bench": "camera_lookup", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
