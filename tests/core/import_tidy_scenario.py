"""A camera import whose task worker is killed mid-write, then the periodic tidy.

Run as ``python -m tests.core.import_tidy_scenario --rows N`` with ``DATABASE_URL`` naming
a fresh database and ``SAFEWARD_IMPORT_STALE_SECONDS`` short. A real ``safeward worker``
process runs the import and is killed (SIGKILL) once some batches are written hidden; the
periodic jobs are then enqueued the way ``safeward serve`` does and a worker runs them.
It prints one JSON line of what was seen before and after; ``test_import_worker.py``
reads it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

from tests.core.import_worker_scenario import camera_csv


def wait_for_hidden_rows(job: Any, worker: subprocess.Popen[bytes]) -> int:
    """The hidden cameras once the job is writing and has committed some (0 on time-out)."""
    from safeward.cameras.models import Camera

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and worker.poll() is None:
        job.refresh_from_db()
        hidden = Camera._base_manager.filter(pending_import=job).count()
        if job.status == "writing" and hidden:
            return hidden
        time.sleep(0.05)
    return 0


def import_task_state() -> list[Any]:
    """The import task's status, the worker ids that claimed it and why it failed, if it did."""
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.filter(task_path__endswith="run_import_job").values_list(
        "status", "worker_ids", "exception_class_path", "traceback"
    )
    return list(row.get())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3_000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import translation

    call_command("migrate", verbosity=0)
    from safeward.cameras.importing import CAMERAS
    from safeward.cameras.models import Camera
    from safeward.core.importjobs import import_job_start
    from safeward.core.models import ImportJob, WorkerBeat
    from safeward.core.periodic import enqueue_due
    from safeward.demo.scenario import run_demo
    from tests.conftest import signed_in_client

    ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
    user, unit = ctx.users["ward_officer"], ctx.units["cam_thinh_khu1_2025"]
    before = Camera.objects.count()
    content = camera_csv(unit.code, args.rows, "Hộ số")
    with translation.override("en"):  # the uploader's language, the job's messages' too
        job = import_job_start(
            user, CAMERAS, name="cameras.csv", content=content, partial=False, encoding="auto"
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "safeward.cli", "worker"], env=os.environ.copy()
    )
    hidden_at_kill = wait_for_hidden_rows(job, worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    job.refresh_from_db()
    left = {
        "status": job.status,
        "hidden": Camera._base_manager.filter(pending_import=job).count(),
        "task": import_task_state(),
        "beats": list(WorkerBeat.objects.values_list("worker_id", flat=True)),
    }
    time.sleep(float(os.environ["SAFEWARD_IMPORT_STALE_SECONDS"]) + 1)
    # What ``safeward serve`` does every few seconds, then its worker (in batch mode).
    enqueued = enqueue_due()
    call_command("db_worker", batch=True, interval=0.05, startup_delay=False, verbosity=0)
    job = ImportJob.objects.get(pk=job.pk)
    client = signed_in_client(user)
    page = client.get(reverse("cameras:import-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    figures = {
        "hidden_at_kill": hidden_at_kill,
        "left_by_kill": left,
        "enqueued": enqueued,
        "status": job.status,
        "rows_written": job.rows_written,
        "errors": job.errors,
        "hidden_after": Camera._base_manager.filter(pending_import__isnull=False).count(),
        "cameras_before": before,
        "cameras_after": Camera._base_manager.count(),
        "task_after": import_task_state(),
        "page_status": page.status_code,
        "page_text": page.content.decode(),
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
