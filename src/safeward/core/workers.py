"""Task workers' heartbeats, and the tidy that closes tasks whose worker died.

A database worker marks the task it claims RUNNING and says nothing more until the task
ends; killed (SIGKILL, out of memory, the machine lost), it leaves that task RUNNING for
ever. Each worker started by ``safeward worker`` therefore beats a :class:`WorkerBeat`
row every ``BEAT_SECONDS`` from a thread of its own, and the periodic tidy fails every
RUNNING task whose worker's last beat is older than ``SAFEWARD_WORKER_STALE_SECONDS``.
A task is failed, not run again: the task that knows how to resume (an import) has its
own tidy, and a failed row is what an operator should see. A worker started as a plain
``manage.py db_worker`` beats nothing, so a task of its running past the stale time would
be failed while it runs: run workers through ``safeward worker`` (``serve`` does).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safeward.core.models import WorkerBeat

log = logging.getLogger(__name__)

BEAT_SECONDS = 30.0


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it (the failed task's cause)."""


LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def new_worker_id() -> str:
    """A worker id unique across machines that still says where the worker ran."""
    host = socket.gethostname()[:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str, *, started_at: dt.datetime) -> None:
    """Record that ``worker_id`` is alive now."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


@contextmanager
def heartbeat(worker_id: str, every: float = BEAT_SECONDS) -> Iterator[None]:
    """Beat for ``worker_id`` from a thread while the block runs; the row goes at the end."""
    started_at = timezone.now()
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                beat(worker_id, started_at=started_at)
            except DatabaseError as exc:  # a locked or restarting database: beat again later
                log.warning("worker %s could not record its heartbeat: %s", worker_id, exc)
            finally:
                close_old_connections()
            if stop.wait(every):
                break
        connection.close()

    thread = threading.Thread(target=run, name=f"heartbeat {worker_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        try:
            WorkerBeat.objects.filter(worker_id=worker_id).delete()
        except DatabaseError as exc:
            log.warning("worker %s could not remove its heartbeat: %s", worker_id, exc)


def lost_tasks_tidy(now: dt.datetime | None = None) -> int:
    """Fail every RUNNING task whose worker has not beaten for the stale time; how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SAFEWARD_WORKER_STALE_SECONDS)
    # One row per running worker (and a day of dead ones): read them all at once.
    last_beat = dict(WorkerBeat.objects.values_list("worker_id", "beat_at"))
    lost = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for task_id, worker_ids, started_at in running.values_list("id", "worker_ids", "started_at"):
        worker = worker_ids[-1] if worker_ids else ""
        last = last_beat.get(worker)
        if last is not None and last >= cutoff:
            continue
        heard = timezone.localtime(last or started_at).isoformat(timespec="seconds")
        closed = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=LOST,
            traceback=f"{LOST}: worker {worker or '(unknown)'} stopped; last heard at {heard}\n",
        )
        if closed:
            lost += 1
            log.warning("task %s lost its worker %s; marked failed", task_id, worker)
    WorkerBeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return lost
