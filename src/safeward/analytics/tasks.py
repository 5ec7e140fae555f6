"""Background work: building periodic reports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django_tasks import task

from safeward.analytics.exports import RENDERERS, report_content
from safeward.analytics.models import PeriodicReport
from safeward.analytics.rollups import rebuild_all, refresh_all
from safeward.analytics.services import (
    periodic_report_fail,
    periodic_report_finish,
    periodic_report_progress,
)


@task()
def generate_periodic_report(report_id: int) -> None:
    """Build the report's file; on any failure the record says why and keeps no file."""
    report = PeriodicReport.objects.select_related("unit").filter(pk=report_id).first()
    if report is None:
        return
    try:
        with translation.override(report.language):
            periodic_report_progress(report, 5)
            content = report_content(
                report.unit,
                report.date_from,
                report.date_to,
                lambda n: periodic_report_progress(report, n),
            )
            data = RENDERERS[report.fmt](content)
        periodic_report_finish(report, data)
    except Exception as exc:
        periodic_report_fail(report, f"{type(exc).__name__}: {exc}")


@task()
def refresh_rollups(full: bool = False) -> None:
    """Bring rollups up to date: this and last year's periods, or everything with ``full``.

    Schedule it nightly for indicators whose apps do not call ``rollup_add``.
    """
    if full:
        rebuild_all()
        return
    refresh_all(since=timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=1))
