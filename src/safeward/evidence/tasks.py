"""Background work of the evidence app."""

from __future__ import annotations

from django_tasks import task

from safeward.evidence.retention import purge_expired_items


@task()
def purge_expired_evidence() -> int:
    """Delete clips past their short retention; returns how many."""
    return purge_expired_items()
