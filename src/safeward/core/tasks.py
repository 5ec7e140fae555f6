"""Background tasks of the core: sealing the audit trail, running retention, imports."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from safeward.core.audit import audit_seal
from safeward.core.retention import purge_all

log = logging.getLogger(__name__)


@task()
def seal_audit_trail() -> int:
    """Chain every event appended since the last seal; returns how many were sealed."""
    return audit_seal()


@task()
def run_retention() -> dict[str, int]:
    """Delete what outlived its retention period; returns counts per rule."""
    return purge_all()


@task()
def tidy_import_jobs() -> int:
    """Close imports whose worker died and remove what they left hidden; returns jobs closed."""
    from safeward.core.importjobs import import_jobs_tidy

    return import_jobs_tidy()


@task()
def tidy_lost_tasks() -> int:
    """Fail tasks left RUNNING by a worker that died; returns how many."""
    from safeward.core.workers import lost_tasks_tidy

    return lost_tasks_tidy()


@task()
def run_import_job(job_id: int) -> int:
    """Import the file kept with job ``job_id``; returns the rows written."""
    from safeward.core.importjobs import import_job_execute, import_job_fail
    from safeward.core.models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.finished:
        return job.rows_written
    with translation.override(job.language or None):
        try:
            with job.file.open("rb") as handle:
                content = handle.read()
            return import_job_execute(job, content).created
        except Exception:
            # The worker keeps running; the uploader learns the import stopped, not the cause.
            log.exception("import job %s stopped", job_id)
            import_job_fail(job, _("The import stopped unexpectedly; nothing was imported."))
            return 0
