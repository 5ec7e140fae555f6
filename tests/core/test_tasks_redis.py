"""The same task code runs on Redis-backed RQ workers (against the real Redis on 127.0.0.1)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import override_settings

from safeward.core.audit import audit_record

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/15")
RQ_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    "RQ_QUEUES": {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}},
}


@pytest.fixture
def redis_queue() -> Any:
    import django_rq
    from redis import Redis

    try:
        Redis.from_url(REDIS_URL).ping()
    except Exception as exc:  # pragma: no cover - CI starts Redis
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    with override_settings(**RQ_SETTINGS):
        queue = django_rq.get_queue("default")
        queue.empty()
        yield queue
        queue.empty()


def test_an_rq_worker_seals_the_audit_trail(
    redis_queue: Any, personas: dict[str, Any], demo_units: Any
) -> None:
    from rq import SimpleWorker

    from safeward.core.tasks import seal_audit_trail

    audit_record(personas["ward_officer"], "test.rq", demo_units["cua_ong"])
    result = seal_audit_trail.enqueue()
    assert redis_queue.count == 1
    SimpleWorker(
        [redis_queue], connection=redis_queue.connection, job_class="django_tasks_rq.Job"
    ).work(burst=True)
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value >= 1
