"""The report timeline: one event per change, and saving a report's changed fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safeward.core.rows import appending
from safeward.core.services import acting_user
from safeward.reports.models import (
    Report,
    ReportEvent,
)

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def new_event(
    actor: Viewer,
    report: Report,
    kind: str,
    *,
    public: bool = False,
    status: str = "",
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> ReportEvent:
    """One timeline event, unsaved: :func:`add_event` appends it."""
    return ReportEvent(
        report=report,
        kind=kind,
        actor=acting_user(actor),
        public=public,
        status=status,
        note=note,
        changes=changes or {},
    )


add_event = appending(new_event, "add_event", "Append one event to a report's timeline.")


def save_fields(report: Report, fields: list[str]) -> None:
    report.updated_at = timezone.now()
    report.save(update_fields=[*fields, "updated_at"])
