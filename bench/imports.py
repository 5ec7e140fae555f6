"""A large camera import through the real task worker, with another writer meanwhile.

Data: ``--rows`` cameras (default 100,000) in one CSV for one neighbourhood, on a fresh
SQLite file (or, with ``--postgres``, a fresh PostgreSQL database). The import runs in a
``safeward worker`` process; this process writes one audit event every 20 ms meanwhile
and times each write (its longest wait is the longest time the import kept another
writer out), counts the writes that failed, and watches that no reader ever sees part
of the file. The worker logs the import's longest single write transaction (the longest
the import held the write lock). Reference in the same run: a plain ``executemany`` insert of the same rows
in one transaction (the write lock held for the whole file).

    .venv/bin/python bench/imports.py [--rows 100000] [--postgres [URL]]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


PG_URL = "postgres://safeward:safeward@127.0.0.1:5432/sw_imports_bench"


def fresh_postgres(url: str) -> None:
    """Drop and create the database ``url`` names (the server's ``postgres`` database helps)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def setup(postgres: str | None) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-imports-"))
    if postgres:
        fresh_postgres(postgres)
        os.environ["DATABASE_URL"] = postgres
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["SAFEWARD_VAR_DIR"] = str(tmp)
    os.environ["SAFEWARD_MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeward.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


def camera_csv(code: str, rows: int) -> bytes:
    lines = ["unit_code,custodian_kind,custodian_label,latitude,longitude,bearing,fov,range_m"]
    for n in range(rows):
        lat, lon = 21.01 + (n % 1000) * 1e-5, 107.32 + (n // 1000) * 1e-5
        lines.append(f"{code},household,Hộ số {n},{lat:.6f},{lon:.6f},{n % 360},90,30")
    return ("\n".join(lines) + "\n").encode()


def reference_insert(tmp: Path, content: bytes, postgres: str | None) -> float:
    """One transaction inserting the same rows with ``executemany`` (no checks, no audit)."""
    if postgres:
        return reference_insert_postgres(postgres, content)
    db = sqlite3.connect(tmp / "reference.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE camera (id INTEGER PRIMARY KEY, unit TEXT, kind TEXT, label TEXT,"
        " lat REAL, lon REAL, bearing REAL, fov REAL, range_m INTEGER)"
    )
    rows = [line.split(",") for line in content.decode().splitlines()[1:]]
    began = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO camera (unit, kind, label, lat, lon, bearing, fov, range_m)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("COMMIT")
    return time.perf_counter() - began


def reference_insert_postgres(url: str, content: bytes) -> float:
    import psycopg

    rows = [line.split(",") for line in content.decode().splitlines()[1:]]
    with psycopg.connect(url) as db:
        db.execute(
            "CREATE TEMP TABLE camera (id bigserial PRIMARY KEY, unit text, kind text,"
            " label text, lat double precision, lon double precision, bearing double precision,"
            " fov double precision, range_m integer)"
        )
        db.commit()
        began = time.perf_counter()
        with db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO camera (unit, kind, label, lat, lon, bearing, fov, range_m)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        db.commit()
        return time.perf_counter() - began


class Writer(threading.Thread):
    """Appends an audit event every 20 ms and times each write transaction."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.longest = 0.0
        self.writes = 0
        self.failures: list[str] = []

    def run(self) -> None:
        from django.db import connection, transaction

        from safeward.core.audit import audit_record

        while not self.stop.is_set():
            began = time.perf_counter()
            try:
                with transaction.atomic():
                    audit_record(None, "bench.write", None, object_type="bench", object_id="1")
                self.writes += 1
            except Exception as exc:  # a writer failing is what the bench looks for
                self.failures.append(repr(exc))
            self.longest = max(self.longest, time.perf_counter() - began)
            time.sleep(0.02)
        connection.close()


def longest_hold(worker_log: Path, job_id: int) -> tuple[float | None, str]:
    """The import's longest write transaction and its step, as its worker logged them."""
    pattern = re.compile(
        rf"import job {job_id} .*longest write transaction ([0-9.]+) s(?: \((\w+)\))?"
    )
    for line in worker_log.read_text(errors="replace").splitlines():
        found = pattern.search(line)
        if found:
            return float(found[1]), found[2] or ""
    return None, ""


def run(rows: int, postgres: str | None) -> dict[str, Any]:
    tmp = setup(postgres)
    from safeward.cameras.importing import CAMERAS
    from safeward.cameras.models import Camera
    from safeward.core.importjobs import import_job_start
    from safeward.core.models import ImportJob
    from safeward.demo.scenario import run_demo

    ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
    user, unit = ctx.users["ward_officer"], ctx.units["cam_thinh_khu1_2025"]
    content = camera_csv(unit.code, rows)
    reference = reference_insert(tmp, content, postgres)
    env = {**os.environ, "SAFEWARD_LOG_LEVEL": "INFO"}  # the worker logs its longest hold
    worker = subprocess.Popen(
        [sys.executable, "-m", "safeward.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "worker.log", "w"),  # noqa: SIM115
    )
    writer = Writer()
    writer.start()
    partial_seen = 0
    try:
        began = time.perf_counter()
        job = import_job_start(
            user, CAMERAS, name="cameras.csv", content=content, partial=False, encoding="auto"
        )
        while True:
            job.refresh_from_db()
            visible = Camera.objects.count()
            if not job.finished and visible:
                partial_seen = max(partial_seen, visible)
            if job.finished:
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - began
    finally:
        writer.stop.set()
        writer.join(timeout=30)
        worker.terminate()
        worker.wait(timeout=30)
    job = ImportJob.objects.get(pk=job.pk)
    hold, hold_step = longest_hold(tmp / "worker.log", job.pk)
    return {
        "database": "postgresql" if postgres else "sqlite",
        "rows": rows,
        "status": job.status,
        "first_errors": job.errors[:3],
        "rows_written": job.rows_written,
        "cameras_visible": Camera.objects.count(),
        "partial_seen": partial_seen,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "longest_write_transaction_s": hold,
        "longest_write_step": hold_step,
        "max_writer_wait_s": round(writer.longest, 3),
        "other_writes": writer.writes,
        "failed_writes": len(writer.failures),
        "first_failure": writer.failures[0][:200] if writer.failures else "",
        "reference_executemany_s": round(reference, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=PG_URL,
        default=None,
        metavar="URL",
        help=f"run on a fresh PostgreSQL database (dropped first; default {PG_URL})",
    )
    args = parser.parse_args()
    figures = run(args.rows, args.postgres)
    print(f"data: {figures['rows']} camera rows, one neighbourhood, {figures['database']}")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    reference = max(figures["reference_executemany_s"], 1e-6)
    ratios = {
        "import_vs_executemany": round(figures["seconds"] / reference, 1),
        "longest_hold_vs_executemany_hold": round(
            (figures["longest_write_transaction_s"] or 0.0) / reference, 2
        ),
        "max_writer_wait_vs_executemany_hold": round(figures["max_writer_wait_s"] / reference, 2),
    }
    print(json.dumps({"bench": "imports", "figures": figures, "ratios": ratios}))


if __name__ == "__main__":
    main()
