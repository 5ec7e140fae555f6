from __future__ import annotations

import pytest

from safeward.core import periodic

pytestmark = pytest.mark.django_db


def test_registered_jobs_are_enqueued_when_due_and_not_before() -> None:
    from django_tasks_db.models import DBTaskResult

    names = {j.name for j in periodic._jobs}
    assert {"retention", "reports: due-soon reminders", "analytics: refresh rollups"} <= names
    for job in periodic._jobs:
        job.last_run = 0.0
    before = DBTaskResult.objects.count()
    due = periodic.enqueue_due(now=10_000.0)
    assert set(due) == names
    assert DBTaskResult.objects.count() == before + len(names)
    shortest = min(j.every_seconds for j in periodic._jobs)
    assert periodic.enqueue_due(now=10_000.0 + shortest - 1) == []
