"""Audit append throughput: does writing an audit event slow down as the trail grows or under concurrency?

Data size: appends 4,000 events per measurement; the "long trail" case first
loads 200,000 sealed events. Reference, measured in the same run on the same
database: inserting the same number of rows into a plain table with no chain
(``geo_unitsuccession``-sized rows are not comparable, so a scratch table with
the same columns as ``core_auditevent`` and no triggers is used).

Usage: python bench/audit_append.py [--database-url URL] [--events N] [--trail N]
Prints figures and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(database_url: str | None) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-audit-"))
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SAFEWARD_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeward.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def append_events(n: int, threads: int) -> float:
    """Events per second appended by ``threads`` writers, each in its own transaction per event."""
    from django.db import connection, transaction

    from safeward.core.audit import audit_record

    per_thread = n // threads

    def writer() -> None:
        try:
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(
                        None,
                        "bench.append",
                        object_type="bench.row",
                        object_id=str(i),
                        changes={"i": i, "text": "Cẩm Thịnh"},
                    )
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return per_thread * threads / (time.perf_counter() - started)


def plain_inserts(n: int, threads: int) -> float:
    from django.db import connection, transaction

    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE IF NOT EXISTS bench_plain (id INTEGER PRIMARY KEY, occurred_at TEXT, "
            "action TEXT, object_type TEXT, object_id TEXT, changes TEXT)"
            if connection.vendor == "sqlite"
            else "CREATE TABLE IF NOT EXISTS bench_plain (id BIGSERIAL PRIMARY KEY, occurred_at TIMESTAMPTZ, "
            "action TEXT, object_type TEXT, object_id TEXT, changes JSONB)"
        )
    per_thread = n // threads

    def writer() -> None:
        try:
            for i in range(per_thread):
                with transaction.atomic(), connection.cursor() as c:
                    c.execute(
                        "INSERT INTO bench_plain (occurred_at, action, object_type, object_id, changes) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        [
                            "2026-01-01T00:00:00+00:00",
                            "bench.append",
                            "bench.row",
                            str(i),
                            json.dumps({"i": i, "text": "Cẩm Thịnh"}),
                        ],
                    )
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return per_thread * threads / (time.perf_counter() - started)


def load_trail(n: int) -> float:
    """Bulk-load ``n`` events and seal them; returns sealing rate (events/s)."""
    from django.utils import timezone

    from safeward.core.audit import audit_seal
    from safeward.core.models import AuditEvent

    now = timezone.now()
    batch = [
        AuditEvent(
            occurred_at=now,
            action="bench.trail",
            object_type="bench.row",
            object_id=str(i),
            changes={"i": i},
        )
        for i in range(n)
    ]
    AuditEvent.objects.bulk_create(batch, batch_size=5000)
    started = time.perf_counter()
    audit_seal(batch_size=5000)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--trail", type=int, default=200_000)
    args = parser.parse_args()
    url = setup(args.database_url)
    from django.db import connection

    vendor = connection.vendor
    threads = 4 if vendor == "postgresql" else 1
    figures: dict[str, float] = {}
    figures["plain_insert_per_s"] = plain_inserts(args.events, 1)
    figures["append_empty_trail_per_s"] = append_events(args.events, 1)
    figures["seal_per_s"] = load_trail(args.trail)
    figures["append_long_trail_per_s"] = append_events(args.events, 1)
    if threads > 1:
        figures[f"plain_insert_{threads}_threads_per_s"] = plain_inserts(args.events, threads)
        figures[f"append_{threads}_threads_per_s"] = append_events(args.events, threads)
    from safeward.core.audit import audit_verify

    verify = audit_verify()
    ratios = {
        "append_vs_plain_insert": figures["append_empty_trail_per_s"]
        / figures["plain_insert_per_s"],
        "long_trail_vs_empty_trail": figures["append_long_trail_per_s"]
        / figures["append_empty_trail_per_s"],
    }
    if threads > 1:
        ratios["concurrent_append_vs_concurrent_plain"] = (
            figures[f"append_{threads}_threads_per_s"]
            / figures[f"plain_insert_{threads}_threads_per_s"]
        )
    print(
        f"database: {vendor} ({url.split('@')[-1]}); {args.events} events per run, trail {args.trail:,}"
    )
    for name, value in figures.items():
        print(f"  {name:38} {value:12,.0f}")
    for name, value in ratios.items():
        print(f"  ratio {name:32} {value:12.2f}")
    print(f"  chain verified: {verify.ok} ({verify.checked:,} events)")
    print(
        json.dumps(
            {
                "bench": f"audit_append_{vendor}",
                "figures": {k: round(v, 1) for k, v in figures.items()},
                "ratios": {k: round(v, 3) for k, v in ratios.items()},
                "chain_ok": verify.ok,
            }
        )
    )


if __name__ == "__main__":
    main()
