"""Periodic jobs: apps register a task to enqueue every N seconds; ``safeward serve`` drives them.

Jobs are enqueued through Django's tasks API, so they run on whichever worker
backend is configured (database or RQ), never inside the web process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task
    every_seconds: int
    last_run: float = field(default=0.0)


_jobs: list[PeriodicJob] = []


def register_periodic(name: str, task: Any, every_seconds: int) -> None:
    if all(j.name != name for j in _jobs):
        _jobs.append(PeriodicJob(name, task, every_seconds))


def enqueue_due(now: float | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; returns their names."""
    now = time.monotonic() if now is None else now
    due = []
    for job in _jobs:
        if job.last_run == 0.0 or now - job.last_run >= job.every_seconds:
            job.task.enqueue()
            job.last_run = now
            due.append(job.name)
    return due
