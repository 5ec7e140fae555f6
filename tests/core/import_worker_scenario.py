"""A large camera import run by the real task worker while another thread submits reports.

Run as ``python -m tests.core.import_worker_scenario --rows N`` with ``DATABASE_URL``
naming a fresh database (a file for SQLite: the worker and the writer share it). It
prints one JSON line of counts; ``test_import_worker.py`` reads it. Two imports run:
a good file, then the same rows with one row that the services refuse while writing
(after earlier batches were committed), which must land nothing.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any


class ReportWriter(threading.Thread):
    """Submits a report through the services every few milliseconds until stopped."""

    def __init__(self, unit: Any) -> None:
        super().__init__(daemon=True)
        self.unit = unit
        self.stop = threading.Event()
        self.written = 0
        self.failures: list[str] = []

    def run(self) -> None:
        from django.db import connection

        from safeward.reports.services import category_by_code, report_submit

        category = category_by_code("theft")
        while not self.stop.is_set():
            try:
                report_submit(
                    None,
                    category=category,
                    description="Mất xe đạp ở đầu ngõ",
                    channel="web",
                    latitude=self.unit.centroid_lat,
                    longitude=self.unit.centroid_lon,
                )
                self.written += 1
            except Exception as exc:  # a failed write is what this scenario counts
                self.failures.append(repr(exc)[:300])
            time.sleep(0.01)
        connection.close()


class Watcher(threading.Thread):
    """Counts the cameras a reader sees while an import is unfinished."""

    def __init__(self, job_id: int, before: int) -> None:
        super().__init__(daemon=True)
        self.job_id, self.before = job_id, before
        self.partial_seen = 0
        self.looks = 0

    def run(self) -> None:
        from django.db import connection

        from safeward.cameras.models import Camera
        from safeward.core.models import ImportJob

        while True:
            job = ImportJob.objects.get(pk=self.job_id)
            visible = Camera.objects.count()
            if job.finished:
                break
            self.looks += 1
            if visible != self.before:
                self.partial_seen = max(self.partial_seen, abs(visible - self.before))
            time.sleep(0.05)
        connection.close()


def camera_csv(code: str, rows: int, prefix: str, bad_label: str = "") -> bytes:
    lines = ["unit_code,custodian_kind,custodian_label,latitude,longitude,bearing"]
    for n in range(rows):
        lat, lon = 21.01 + (n % 100) * 1e-5, 107.32 + (n // 100) * 1e-5
        label = bad_label if bad_label and n == rows - 1 else f"{prefix} {n}"
        lines.append(f"{code},household,{label},{lat:.6f},{lon:.6f},{n % 360}")
    return ("\n".join(lines) + "\n").encode()


def import_through_worker(user: Any, kind: Any, content: bytes, unit: Any) -> dict[str, Any]:
    from django.core.management import call_command

    from safeward.cameras.models import Camera
    from safeward.core.importjobs import import_job_start
    from safeward.core.models import ImportJob

    before = Camera.objects.count()
    job = import_job_start(
        user, kind, name="cameras.csv", content=content, partial=False, encoding="auto"
    )
    writer, watcher = ReportWriter(unit), Watcher(job.pk, before)
    writer.start()
    watcher.start()
    # The worker ``safeward serve`` runs, in batch mode: it stops once the queue is empty.
    call_command("db_worker", batch=True, interval=0.05, startup_delay=False, verbosity=0)
    watcher.join(timeout=60)
    writer.stop.set()
    writer.join(timeout=60)
    job = ImportJob.objects.get(pk=job.pk)
    return {
        "status": job.status,
        "rows_written": job.rows_written,
        "errors": job.errors[:3],
        "cameras_before": before,
        "cameras_after": Camera.objects.count(),
        "cameras_marked": Camera._base_manager.filter(pending_import__isnull=False).count(),
        "partial_seen": watcher.partial_seen,
        "looks": watcher.looks,
        "reports_written": writer.written,
        "failed_writes": len(writer.failures),
        "first_failure": writer.failures[0] if writer.failures else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safeward.cameras import importing
    from safeward.core.errors import DomainError
    from safeward.core.importing import register_kind
    from safeward.demo.scenario import run_demo
    from safeward.reports.models import Report

    ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
    user, unit = ctx.users["ward_officer"], ctx.units["cam_thinh_khu1_2025"]

    def refusing(actor: Any, row: dict[str, str]) -> Any:
        if row.get("custodian_label") == "Hộ hỏng":
            raise DomainError("refused while writing", field="custodian_label")
        return importing.import_camera(actor, row)

    failing = importing.CAMERAS.__class__(
        **{**importing.CAMERAS.__dict__, "code": "cameras-refusing", "handle": refusing}
    )
    register_kind(failing, "cameras.add_camera")
    reports_before = Report.objects.count()
    good_file = camera_csv(unit.code, args.rows, "Hộ số")
    good = import_through_worker(user, importing.CAMERAS, good_file, unit)
    bad_file = camera_csv(unit.code, args.rows, "Nhà", bad_label="Hộ hỏng")
    bad = import_through_worker(user, failing, bad_file, unit)
    figures = {
        "rows": args.rows,
        "good": good,
        "bad": bad,
        "reports_new": Report.objects.count() - reports_before,
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
