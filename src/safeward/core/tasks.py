"""Background tasks of the core: sealing the audit trail and running retention."""

from __future__ import annotations

from django_tasks import task

from safeward.core.audit import audit_seal
from safeward.core.retention import purge_all


@task()
def seal_audit_trail() -> int:
    """Chain every event appended since the last seal; returns how many were sealed."""
    return audit_seal()


@task()
def run_retention() -> dict[str, int]:
    """Delete what outlived its retention period; returns counts per rule."""
    return purge_all()
