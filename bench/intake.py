"""Report intake throughput over real HTTP: full submissions vs a minimal one-row insert view.

Data size: the real Quảng Ninh units with their neighbourhoods; every submission is a
complete ``POST /api/v1/reports/`` (validation, placing, routing, audit, timeline event,
idempotency record). The reference, measured in the same run against the same gunicorn
server and database, is a minimal Django view that inserts one row per request. Beside
them, the *API floor* is the same one-row insert behind what every API call pays: a DRF
view with the project's token authentication, permission check, parsing and rendering.
``intake_vs_floor`` is then the share of the API stack's own ceiling that intake reaches.

A gunicorn server configured as ``safeward serve`` runs it (sync workers, two per core)
on 127.0.0.1; the load comes from a second process
(``--clients`` keep-alive connections) for ``--seconds`` per target, run as ``--slices``
slices in alternating order (reference, floor, intake, intake, floor, reference, ...) so
that other load on a shared machine weighs on every target alike. About 5% of intake
requests are retried with the same ``Idempotency-Key``. Afterwards every acknowledged
submission must be stored exactly once.

Per request the server reads the token, the caller's scope, the catalogue, routing rules and
units from per-process caches once warm; what remains is one idempotency look-up and one
transaction (report, idempotency record, timeline event, audit event).

Usage: python bench/intake.py [--database-url URL] [--seconds 60] [--clients 8] [--slices 6]
Prints figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

BENCH_URLS = """
import json
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView


@csrf_exempt
def reference(request):
    body = json.loads(request.body or b"{}")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_reference_row (body, created_at) VALUES (%s, CURRENT_TIMESTAMP)",
            [json.dumps(body)],
        )
    return JsonResponse({"ok": True}, status=201)


# The API stack's own cost: the project's token authentication and permission check,
# DRF's request parsing and response rendering, around the same one-row insert.
class Floor(APIView):
    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_floor_row (body, created_at) VALUES (%s, CURRENT_TIMESTAMP)",
                [json.dumps(request.data)],
            )
        return Response({"ok": True}, status=201)


urlpatterns = [
    path("bench/reference/", reference),
    path("bench/floor/", Floor.as_view()),
    path("", include("safeward.config.urls")),
]
"""

BENCH_SETTINGS = """
from safeward.config.settings import *  # noqa: F403
ROOT_URLCONF = "bench_urls"
"""

BOOTSTRAP = """
from django.db import connection
from safeward.accounts.models import User
from safeward.accounts.services import token_create
from safeward.demo.scenario import run_demo

ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
pk = "SERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
with connection.cursor() as c:
    for table in ("bench_reference_row", "bench_floor_row"):
        c.execute(f"CREATE TABLE IF NOT EXISTS {table} (id {pk}, body TEXT, created_at TIMESTAMP)")
officer = User.objects.get(username="ward_officer")
_token, raw = token_create(officer, name="bench", days=1)
ward = ctx.units["cua_ong"]
points = [(ward.centroid_lat, ward.centroid_lon)]
print("BENCH" + __import__("json").dumps({"token": raw, "points": points}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(database_url: str | None) -> tuple[dict[str, str], Any]:
    """A fresh database (SQLite file, or a scratch PostgreSQL database) with units and a token."""
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-intake-"))
    (tmp / "bench_urls.py").write_text(BENCH_URLS)
    (tmp / "bench_settings.py").write_text(BENCH_SETTINGS)
    drop = None
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        url, drop = scratch_postgres(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SAFEWARD_VAR_DIR": str(tmp),
        "SAFEWARD_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join(
            [str(tmp), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [*manage, "shell", "-c", BOOTSTRAP],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH"))[5:])
    env["BENCH_TOKEN"], env["BENCH_POINTS"] = data["token"], json.dumps(data["points"])
    return env, drop


def scratch_postgres(url: str) -> tuple[str, Any]:
    import psycopg

    name = f"safeward_bench_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def start_server(
    env: dict[str, str], port: int, workers: int = 2, threads: int = 4
) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    args = [gunicorn, "safeward.config.wsgi:application", "-b", f"127.0.0.1:{port}"]
    args += ["-w", str(workers), "--log-level", "warning"]
    args += ["-k", "gthread", "--threads", str(threads)] if threads > 1 else ["-k", "sync"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


# --- the load generator (runs in a second process) ----------------------------------------

TARGETS = ("reference", "floor", "intake")
PATHS = {"reference": "/bench/reference/", "floor": "/bench/floor/", "intake": "/api/v1/reports/"}
CATEGORIES = ["theft", "gambling", "disorder", "suspicious", "noise", "environment", "other"]


def intake_request(rng: random.Random, points: list[list[float]]) -> dict[str, Any]:
    lat, lon = rng.choice(points)
    return {
        "category": rng.choice(CATEGORIES),
        "description": "Phản ánh thử tải: người lạ tụ tập trước nhà văn hóa khu phố",
        "latitude": lat + rng.uniform(-0.001, 0.001),
        "longitude": lon + rng.uniform(-0.001, 0.001),
    }


def client_loop(target: str, port: int, until: float, seed: int, out: dict[str, Any]) -> None:
    rng = random.Random(seed)
    points = json.loads(os.environ.get("BENCH_POINTS", "[[21.0164, 107.335]]"))
    token = os.environ.get("BENCH_TOKEN", "")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = PATHS[target]
    latencies, acked, failures, retries = [], [], 0, 0
    previous: tuple[str, dict[str, Any]] | None = None
    while time.perf_counter() < until:
        if target == "intake" and previous and rng.random() < 0.05:
            key, body = previous
            retries += 1
        else:
            key, body = uuid.uuid4().hex, intake_request(rng, points)
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        if target != "reference":
            headers["Authorization"] = f"Token {token}"
        started = time.perf_counter()
        try:
            conn.request("POST", path, json.dumps(body), headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            failures += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
        if response.status in (200, 201):
            acked.append(
                [key, json.loads(payload).get("id")] if target == "intake" else [key, None]
            )
            previous = (key, body)
        else:
            failures += 1
    out.update(latencies=latencies, acked=acked, failures=failures, retries=retries)


def run_load(target: str, port: int, seconds: float, clients: int) -> None:
    until = time.perf_counter() + seconds
    results: list[dict[str, Any]] = [{} for _ in range(clients)]
    threads = [
        threading.Thread(target=client_loop, args=(target, port, until, i, results[i]))
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged = {
        "latencies": [x for r in results for x in r["latencies"]],
        "acked": [x for r in results for x in r["acked"]],
        "failures": sum(r["failures"] for r in results),
        "retries": sum(r["retries"] for r in results),
        "seconds": seconds,
    }
    print(json.dumps(merged))


def measure(
    env: dict[str, str], target: str, port: int, seconds: float, clients: int
) -> dict[str, Any]:
    """Run the load generator in a second process and summarise what it saw."""
    args = [PYTHON, __file__, "--load", target, "--port", str(port), "--seconds", str(seconds)]
    out = subprocess.run(
        [*args, "--clients", str(clients)], env=env, check=True, capture_output=True, text=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return {k: data[k] for k in ("latencies", "acked", "failures", "retries")}


def interleaved(
    env: dict[str, str], port: int, seconds: float, clients: int, slices: int
) -> dict[str, dict[str, Any]]:
    """Each target's ``seconds`` in ``slices`` slices, in alternating order, so a change in
    the machine's other load during the run weighs on every target alike."""
    runs: dict[str, list[dict[str, Any]]] = {t: [] for t in TARGETS}
    loads: dict[str, list[float]] = {t: [] for t in TARGETS}
    for n in range(slices):
        order = TARGETS if n % 2 == 0 else TARGETS[::-1]
        for target in order:
            runs[target].append(measure(env, target, port, seconds / slices, clients))
            loads[target].append(os.getloadavg()[0])
    merged: dict[str, dict[str, Any]] = {}
    for target in TARGETS:
        parts = runs[target]
        latencies = sorted(x for p in parts for x in p["latencies"]) or [0.0]
        merged[target] = {
            "rps": sum(len(p["acked"]) for p in parts) / seconds,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "acked": [a for p in parts for a in p["acked"]],
            "failures": sum(p["failures"] for p in parts),
            "retries": sum(p["retries"] for p in parts),
            "slice_rps": [round(len(p["acked"]) / (seconds / slices), 1) for p in parts],
            "load": statistics.mean(loads[target]),
        }
    return merged


CHECK = """
import json, sys
from django.db import connection
from safeward.reports.models import IdempotencyRecord, Report
acked = json.loads(open(sys.argv[-1]).read())
keys = {k for k, _id in acked["intake"]}
records = dict(IdempotencyRecord.objects.filter(owner__startswith="user:").values_list("key", "report_id"))
with connection.cursor() as c:
    c.execute("SELECT COUNT(*) FROM bench_reference_row")
    reference_rows = c.fetchone()[0]
    c.execute("SELECT COUNT(*) FROM bench_floor_row")
    floor_rows = c.fetchone()[0]
result = {
    "intake_acked_keys": len(keys),
    "intake_reports": Report.objects.count(),
    "intake_keys_stored": len(keys & set(records)),
    "intake_ids_match": all(records.get(k) == i for k, i in acked["intake"]),
    "reference_acked": len(acked["reference"]),
    "reference_rows": reference_rows,
    "floor_acked": len(acked["floor"]),
    "floor_rows": floor_rows,
}
print("CHECK" + json.dumps(result))
"""


def verify(env: dict[str, str], acked: dict[str, list[Any]]) -> dict[str, Any]:
    """Count rows: every acknowledged submission stored once, nothing extra."""
    path = Path(env["SAFEWARD_VAR_DIR"]) / "acked.json"
    path.write_text(json.dumps(acked))
    out = subprocess.run(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            CHECK.replace("sys.argv[-1]", repr(str(path))),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        raise RuntimeError("counting rows failed:\n" + out.stderr[-3000:])
    lines = out.stdout.splitlines()
    return dict(json.loads(next(line for line in lines if line.startswith("CHECK"))[5:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--slices", type=int, default=6, help="alternating slices per target")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="gunicorn worker processes (default: as `safeward serve`, two per core)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (default 1: sync workers)"
    )
    parser.add_argument("--load", choices=TARGETS)
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.load:
        run_load(args.load, args.port, args.seconds, args.clients)
        return
    env, drop = prepare(args.database_url)
    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    try:
        runs = interleaved(env, port, args.seconds, args.clients, args.slices)
    finally:
        server.terminate()
        server.wait(timeout=30)
    check = verify(env, {t: runs[t]["acked"] for t in TARGETS})
    if drop:
        drop()
    report(args, env, runs, check)


LABELS = {
    "reference": "reference (one-row insert view)",
    "floor": "API floor (DRF + token, one row)",
    "intake": "full report intake",
}


def report(args: Any, env: dict[str, str], runs: dict[str, Any], check: dict[str, Any]) -> None:
    engine = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    ref, floor, intake = (runs[t] for t in TARGETS)
    exact = (
        check["intake_reports"] == check["intake_acked_keys"] == check["intake_keys_stored"]
        and check["intake_ids_match"]
        and check["reference_rows"] == check["reference_acked"]
        and check["floor_rows"] == check["floor_acked"]
    )
    print(
        f"database: {engine}; gunicorn {args.workers} workers x {args.threads} threads;"
        f" {args.clients} clients;"
        f" {args.seconds:.0f} s each, in {args.slices} alternating slices"
    )
    for target in TARGETS:
        m = runs[target]
        print(
            f"{LABELS[target]:34s} {m['rps']:8.1f} req/s  p50 {m['p50_ms']:7.1f} ms"
            f"  p99 {m['p99_ms']:7.1f} ms  errors {m['failures']}"
        )
    print(f"intake retries with the same Idempotency-Key: {intake['retries']}")
    print("req/s per slice: " + ", ".join(f"{t} {runs[t]['slice_rps']}" for t in TARGETS))
    loads = ", ".join(f"{runs[t]['load']:.2f}" for t in TARGETS)
    print(
        f"machine load (1 min), mean after each slice (reference, floor, intake): {loads}"
        f" on {os.cpu_count()} cores; other work on the machine lowers every figure"
    )
    print(f"rows: {check}; every acknowledged request stored exactly once: {exact}")
    figures: dict[str, Any] = {"database": engine}
    for target in TARGETS:
        for key in ("rps", "p50_ms", "p99_ms"):
            figures[f"{target}_{key}"] = round(runs[target][key], 1)
    figures.update(
        intake_retries=intake["retries"],
        slices=args.slices,
        intake_errors=intake["failures"],
        stored_exactly_once=exact,
        **{f"load_after_{t}": round(runs[t]["load"], 2) for t in TARGETS},
        **check,
    )

    def per(a: dict[str, Any], b: dict[str, Any]) -> float:
        return round(a["rps"] / b["rps"], 3) if b["rps"] else 0.0

    ratios = {
        "intake_vs_reference": per(intake, ref),
        "floor_vs_reference": per(floor, ref),
        "intake_vs_floor": per(intake, floor),
    }
    print(json.dumps({"bench": "intake", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
