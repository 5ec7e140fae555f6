"""Periodic jobs: apps register a task to enqueue every N seconds; ``safeward serve`` drives them.

Jobs are enqueued through Django's tasks API, so they run on whichever worker
backend is configured (database or RQ), never inside the web process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

log = logging.getLogger(__name__)


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


class Retrying:
    """Runs ``action`` every ``every_seconds``; after a failure it logs and waits 1, 2, 4 …
    up to ``cap_seconds`` before the next try, so a locked or unreachable database never
    stops the process that drives it."""

    def __init__(
        self, name: str, action: Callable[[], Any], every_seconds: float, cap_seconds: float = 60.0
    ) -> None:
        self.name, self.action = name, action
        self.every, self.cap = every_seconds, cap_seconds
        self.failures = 0
        self.next_try = 0.0

    def __call__(self, now: float | None = None) -> bool:
        """Run when due; True when it ran and succeeded."""
        now = time.monotonic() if now is None else now
        if now < self.next_try:
            return False
        try:
            self.action()
        except Exception as exc:  # any failure of one round; the next round tries again
            self.failures += 1
            delay = min(self.cap, 2.0 ** (self.failures - 1))
            self.next_try = now + delay
            log.warning("%s failed (%s); retrying in %.0f s", self.name, exc, delay)
            connections.close_all()  # a broken connection is reopened on the next try
            return False
        if self.failures:
            log.warning("%s works again after %d failures", self.name, self.failures)
        self.failures = 0
        self.next_try = now + self.every
        return True
