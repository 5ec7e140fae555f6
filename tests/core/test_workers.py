"""Lost tasks: a RUNNING task whose worker stopped beating is failed by the periodic tidy.

The heartbeat of a real ``safeward worker`` killed mid-task is exercised end to end by
``test_import_worker.py`` (the killed worker's beat row is there, the tidy fails its task).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeward.core.models import WorkerBeat
from safeward.core.workers import LOST, beat, lost_tasks_tidy

pytestmark = pytest.mark.django_db


def _running(worker_id: str, minutes_ago: int) -> DBTaskResult:
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="safeward.core.tasks.run_retention",
        worker_ids=[worker_id],
        backend_name="default",
        queue_name="default",
        run_after=started,
        started_at=started,
    )


def test_a_task_whose_worker_went_silent_is_failed_and_a_live_ones_is_left(
    settings, django_assert_max_num_queries
) -> None:
    settings.SAFEWARD_WORKER_STALE_SECONDS = 300
    long_ago = timezone.now() - dt.timedelta(minutes=20)
    beat("dead-worker", started_at=long_ago)
    WorkerBeat.objects.filter(worker_id="dead-worker").update(beat_at=long_ago)
    beat("live-worker", started_at=long_ago)
    dead, live, never = _running("dead-worker", 30), _running("live-worker", 30), _running("", 30)
    young = _running("gone-young", 1)  # claimed a minute ago: the stale time has not passed

    # Two reads (beats, running tasks), one update per lost task, the old beats' removal.
    with django_assert_max_num_queries(5):
        assert lost_tasks_tidy() == 2
    dead.refresh_from_db(), live.refresh_from_db(), never.refresh_from_db(), young.refresh_from_db()
    assert (dead.status, dead.exception_class_path) == ("FAILED", LOST)
    assert "worker dead-worker stopped; last heard at" in dead.traceback
    assert never.status == "FAILED" and "(unknown)" in never.traceback
    assert (live.status, young.status) == ("RUNNING", "RUNNING")
    assert lost_tasks_tidy() == 0  # a second pass finds nothing more
