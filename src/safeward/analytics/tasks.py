"""Background work: building periodic reports, keeping rollups current."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from safeward.analytics.exports import RENDERERS, report_content
from safeward.analytics.freshness import rollups_catch_up
from safeward.analytics.models import PeriodicReport
from safeward.analytics.rollups import rebuild_all
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
def refresh_rollups(full: bool = False) -> dict[str, str]:
    """Fold the changes the audit trail recorded since each indicator's watermark into its rollups.

    Runs every minute; with nothing new it does no work. ``full`` rebuilds everything.
    """
    if full:
        return dict.fromkeys(rebuild_all(), "rebuilt")
    return rollups_catch_up()
