"""Writes of the analytics app: requesting and producing periodic reports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.analytics.choices import ReportFormat, ReportStatus
from safeward.analytics.models import PeriodicReport
from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_at
from safeward.core.services import acting_user
from safeward.geo.models import AdminUnit

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

MAX_REPORT_DAYS = getattr(settings, "SAFEWARD_ANALYTICS_MAX_DAYS", 366 * 10)


def check_range(date_from: dt.date, date_to: dt.date, *, max_days: int = MAX_REPORT_DAYS) -> None:
    """Raise a ``DomainError`` naming the field when the range is reversed or too long."""
    if date_from > date_to:
        raise DomainError(_("The start date is after the end date."), field="from", code="range")
    if (date_to - date_from).days + 1 > max_days:
        raise DomainError(
            _("The range is longer than the maximum of {days} days.").format(days=max_days),
            field="to",
            code="range_too_long",
        )


@transaction.atomic
def periodic_report_request(
    actor: Viewer, *, unit: AdminUnit, date_from: dt.date, date_to: dt.date, fmt: str, language: str
) -> PeriodicReport:
    """Queue a report for ``unit`` over the range; the file is built by a background task."""
    if not has_perm_at(actor, "analytics.add_periodicreport", unit):
        raise DomainError(_("You may not request reports for this unit."), field="unit")
    check_range(date_from, date_to)
    if fmt not in ReportFormat.values:
        raise DomainError(_("Unknown report format."), field="fmt")
    report = PeriodicReport.objects.create(
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        fmt=fmt,
        language=language,
        created_by=acting_user(actor),
    )
    audit_record(actor, "periodicreport.request", report, unit=unit)
    from safeward.analytics.tasks import generate_periodic_report

    transaction.on_commit(lambda: generate_periodic_report.enqueue(report.pk))
    return report


def periodic_report_progress(report: PeriodicReport, progress: int) -> None:
    """Record how far the build got (shown on the report list)."""
    PeriodicReport.objects.filter(pk=report.pk).update(
        progress=progress, status=ReportStatus.RUNNING
    )


def periodic_report_finish(report: PeriodicReport, content: bytes) -> None:
    """Store the finished file in one step (there is never a half-written file to download)."""
    name = f"report-{report.pk}.{report.fmt}"
    report.file.save(name, ContentFile(content), save=False)
    report.status = ReportStatus.DONE
    report.progress = 100
    report.error = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "progress", "error", "finished_at"])


def periodic_report_fail(report: PeriodicReport, error: str) -> None:
    """Mark the report failed with a readable reason; no file is kept."""
    if report.file:
        report.file.delete(save=False)
    PeriodicReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, error=error[:2000], file="", finished_at=timezone.now()
    )
