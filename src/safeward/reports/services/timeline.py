"""The report timeline: one event per change, and saving a report's changed fields."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeward.core.rows import insert
from safeward.reports.models import (
    Report,
    ReportEvent,
)


def add_event(
    actor: Any,
    report: Report,
    kind: str,
    *,
    public: bool = False,
    status: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> ReportEvent:
    return insert(
        new_event(actor, report, kind, public=public, status=status, note=note, changes=changes)
    )


def new_event(
    actor: Any,
    report: Report,
    kind: str,
    *,
    public: bool = False,
    status: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> ReportEvent:
    """The unsaved event :func:`add_event` appends."""
    return ReportEvent(
        report=report,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        public=public,
        status=status,
        note=note,
        changes=changes or {},
    )


def save_fields(report: Report, fields: list[str]) -> None:
    report.updated_at = timezone.now()
    report.save(update_fields=[*fields, "updated_at"])
