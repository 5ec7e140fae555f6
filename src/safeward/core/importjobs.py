"""Import jobs: start one from an upload, run it (checks, short write batches, switch-in).

See :mod:`safeward.core.importing` for the promises kept: the file's problems first, no
write before every row is checked, no write transaction longer than a batch, and no
reader ever seeing part of a file.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record, audit_record_bulk
from safeward.core.errors import DomainError
from safeward.core.importing import (
    BATCH_SECONDS,
    ERRORS_KEPT,
    PAUSE_SECONDS,
    PROGRESS_SECONDS,
    FileProblem,
    ImportKind,
    ImportResult,
    RowError,
    Table,
    missing_columns,
    now,
    read_table,
    row_error,
    unit_cache,
)
from safeward.core.models import ImportJob
from safeward.core.models import ImportJobStatus as Status
from safeward.core.services import acting_user

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

log = logging.getLogger(__name__)


def check_file(kind: ImportKind, name: str, content: bytes, encoding: str = "auto") -> Table:
    """The file's rows, or a :class:`FileProblem` naming what is wrong with the file."""
    table = read_table(name, content, encoding)
    missing = missing_columns(kind, table.header)
    if missing:
        raise FileProblem(_("Missing columns: {names}.").format(names=", ".join(missing)))
    return table


def import_job_create(
    actor: Viewer, kind: ImportKind, *, name: str, partial: bool, encoding: str = "auto"
) -> ImportJob:
    """Record that ``actor`` imports a ``kind`` file (queued; nothing else is written)."""
    return ImportJob.objects.create(
        user=acting_user(actor),
        kind=kind.code,
        file_name=name[:255],
        partial=partial,
        encoding=encoding,
        language=translation.get_language() or "",
    )


def import_job_start(
    actor: Viewer, kind: ImportKind, *, name: str, content: bytes, partial: bool, encoding: str
) -> ImportJob:
    """Check the file, keep it, and queue its import; a bad file raises :class:`FileProblem`."""
    from safeward.core.tasks import run_import_job

    table = check_file(kind, name, content, encoding)
    job = import_job_create(actor, kind, name=name, partial=partial, encoding=encoding)
    job.rows_total = len(table.rows)
    job.file.save(name[-100:] or "import.csv", ContentFile(content), save=False)
    job.save(update_fields=["rows_total", "file"])
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_execute(job: ImportJob, content: bytes) -> ImportResult:
    """Run the whole import of ``job`` on ``content`` and return what happened."""
    began = time.monotonic()
    try:
        with unit_cache():
            return _execute(job, content)
    finally:
        log.info(
            "import job %s (%s): %s rows written in %.1f s; longest write transaction %.3f s (%s)",
            job.pk,
            job.kind,
            job.rows_written,
            time.monotonic() - began,
            longest_write_seconds(job),
            longest_write_step(job),
        )


# The longest write transaction of each job run in this process (what the import made
# another writer wait for at most); the worker logs it, the import bench reads it.
_longest_write: dict[int, tuple[float, str]] = {}


def longest_write_seconds(job: ImportJob) -> float:
    return _longest_write.get(job.pk, (0.0, ""))[0]


def longest_write_step(job: ImportJob) -> str:
    """Which step held the longest write transaction: write, switch, settle or discard."""
    return _longest_write.get(job.pk, (0.0, "none"))[1]


@contextmanager
def _write_transaction(job: ImportJob, step: str) -> Iterator[None]:
    """One of the import's write transactions (``step`` names it), timed to its commit."""
    began = time.monotonic()
    try:
        with transaction.atomic():
            yield
    finally:
        held = time.monotonic() - began
        if held > _longest_write.get(job.pk, (0.0, ""))[0]:
            _longest_write[job.pk] = (held, step)


def _execute(job: ImportJob, content: bytes) -> ImportResult:
    from safeward.core.importing import KINDS

    kind = KINDS[job.kind].kind
    try:
        table = check_file(kind, job.file_name, content, job.encoding or "auto")
    except FileProblem as problem:
        result = ImportResult()
        result.add(RowError(0, problem.message))
        result.rolled_back = result.file_problem = True
        _finish(job, result, Status.FAILED)
        return result
    return import_table(job, kind, table)


def import_table(job: ImportJob, kind: ImportKind, table: Table) -> ImportResult:
    """Check every row of ``table``, write the valid ones staged, then switch them in.

    A file's rows come here after :func:`check_file`; an importer whose rows come from
    elsewhere (a dataset a package ships) builds the :class:`Table` itself.
    """
    result = ImportResult()
    try:
        return _import_table(job, kind, table, result)
    except JobClosed:
        # The tidy took this job for dead and closed it: its verdict stands, and what
        # this run wrote since goes with the rest.
        log.warning("import job %s was closed while it ran; its rows are removed", job.pk)
        result.created, result.rolled_back = 0, True
        _discard(job)
        job.refresh_from_db()
        return result


def _import_table(
    job: ImportJob, kind: ImportKind, table: Table, result: ImportResult
) -> ImportResult:
    _progress(job, status=Status.CHECKING, rows_total=len(table.rows), started_at=now())
    valid = _check_rows(job, kind, table, result)
    if not valid or (result.error_count and not job.partial):
        if valid:  # the services' own checks name the other rows' problems too
            _write_rows(job, kind, valid, result, keep=False)
            result.errors.sort(key=lambda e: e.row)
        result.rolled_back = True
        _finish(job, result, Status.FAILED)
        return result
    _running(job, status=Status.WRITING)
    try:
        written = _write_rows(job, kind, valid, result)
    except JobClosed:
        raise
    except BaseException:
        _finish(job, result, Status.FAILED)
        _discard(job)
        raise
    result.created = written
    if result.error_count and not job.partial:
        result.created, result.rolled_back = 0, True
        result.errors.sort(key=lambda e: e.row)
        _finish(job, result, Status.FAILED)
        _discard(job)
        return result
    _switch_in(job, kind, written, result)
    _settle(job)
    return result


def _check_rows(
    job: ImportJob, kind: ImportKind, table: Table, result: ImportResult
) -> list[tuple[int, dict[str, str]]]:
    """The rows that pass every check, none written; errors go to ``result``."""
    seen: dict[tuple[str, ...], int] = {}
    valid: list[tuple[int, dict[str, str]]] = []
    units: dict[int, Any] = {}
    last = time.monotonic()
    for index, (number, row) in enumerate(table.rows, start=1):
        error = _check_row(job, kind, number, row, seen, units)
        if error is None:
            valid.append((number, row))
        else:
            result.add(error)
        if time.monotonic() - last > PROGRESS_SECONDS:
            _running(job, rows_checked=index, **_error_fields(result))
            last = time.monotonic()
    result.errors.sort(key=lambda e: e.row)
    _running(job, rows_checked=len(table.rows), unit=_common_unit(units.values()))
    return valid


def _check_row(
    job: ImportJob,
    kind: ImportKind,
    number: int,
    row: dict[str, str],
    seen: dict[tuple[str, ...], int],
    units: dict[int, Any],
) -> RowError | None:
    key = kind.key(row)
    if key in seen:
        return RowError(number, _("Duplicate of row {row}.").format(row=seen[key]))
    seen[key] = number
    if kind.check is None:
        return None
    try:
        unit = kind.check(job.user, row)
    except (DomainError, PermissionDenied) as exc:
        return row_error(number, exc)
    if unit is not None:
        units.setdefault(unit.pk, unit)
    return None


# --- staging: every row a service creates during an import carries the job's mark --------
_created: ContextVar[list[models.Model] | None] = ContextVar("import_created", default=None)


@functools.cache
def is_staged(model: type[models.Model]) -> bool:
    """Whether ``model``'s rows can be written hidden (it has a ``pending_import`` mark)."""
    return any(f.name == "pending_import" for f in model._meta.concrete_fields)


def _note_created(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    bucket = _created.get()
    if bucket is not None and created and not kwargs.get("raw") and is_staged(sender):
        bucket.append(instance)


post_save.connect(_note_created, dispatch_uid="safeward.core.importjobs.staging")


# Sent after each committed batch of an import (``job``, ``rows_written``): what readers
# see then is what they see between batches, the import's rows hidden.
batch_written = Signal()


class _Rollback(Exception):
    """Undoes a batch written only to learn what the services say about its rows."""


def _write_rows(
    job: ImportJob,
    kind: ImportKind,
    rows: list[tuple[int, dict[str, str]]],
    result: ImportResult,
    *,
    keep: bool = True,
) -> int:
    """Write every row through the services in transactions of about ``BATCH_SECONDS``.

    Each transaction marks what its rows created with the job, so readers do not see it;
    between transactions the import pauses, so a waiting writer takes the lock first.
    In an all-or-nothing import the rows after a failing one are still written (and
    discarded with the rest), so the user learns every row's problem at once; without
    ``keep`` every batch is rolled back (the file is refused already, only its problems
    are wanted).
    """
    written, position = 0, 0
    while position < len(rows) and (job.partial or result.error_count < ERRORS_KEPT):
        try:
            with _write_transaction(job, "write"):
                began = time.monotonic()
                staged: list[models.Model] = []
                while position < len(rows) and time.monotonic() - began < BATCH_SECONDS:
                    number, row = rows[position]
                    position += 1
                    created = _write_row(job, kind, number, row, result)
                    if created is not None:
                        staged.extend(created)
                        written += 1
                if not keep:
                    raise _Rollback
                _stage(job, staged)
                _running(job, rows_written=written, **_error_fields(result))
        except _Rollback:
            _running(job, **_error_fields(result))
        else:
            batch_written.send(ImportJob, job=job, rows_written=written)
        time.sleep(PAUSE_SECONDS)
    return written


def _write_row(
    job: ImportJob, kind: ImportKind, number: int, row: dict[str, str], result: ImportResult
) -> list[models.Model] | None:
    """What writing ``row`` created, or ``None`` when it failed (its savepoint rolled back)."""
    bucket: list[models.Model] = []
    token = _created.set(bucket)
    try:
        with transaction.atomic():
            kind.handle(job.user, row)
    except (DomainError, PermissionDenied) as exc:
        result.add(row_error(number, exc))
        return None
    finally:
        _created.reset(token)
    return bucket


def _stage(job: ImportJob, created: list[models.Model]) -> None:
    by_model: dict[type[models.Model], list[Any]] = {}
    for obj in created:
        by_model.setdefault(type(obj), []).append(obj.pk)
    for model, ids in by_model.items():
        for start in range(0, len(ids), 500):
            model._base_manager.filter(pk__in=ids[start : start + 500]).update(pending_import=job)


def staged_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if is_staged(m)]


def _switch_in(job: ImportJob, kind: ImportKind, written: int, result: ImportResult) -> None:
    """One short transaction makes every staged row visible: the job's own row says done.

    The rows' own audit events were read while the rows were hidden (a rollup refresh
    during the import found nothing to count); one bulk event per model, sealed after the
    switch-in, makes every reader of that model's facts read them again.
    """
    staged = _staged_counts(job)
    with _write_transaction(job, "switch"):
        _running(job, **_finish_fields(result, Status.DONE))
        if kind.switch_in is not None:
            kind.switch_in()
        audit_record(
            job.user,
            "import.finish",
            job,
            unit=job.unit,
            changes={"kind": job.kind, "rows_written": written, "file": job.file_name},
        )
        for model, count in staged.items():
            audit_record_bulk(
                job.user, "import.visible", model, count=count, unit=job.unit, changes={}
            )


def _staged_counts(job: ImportJob) -> dict[type[models.Model], int]:
    counts = {m: m._base_manager.filter(pending_import=job).count() for m in staged_models()}
    return {model: count for model, count in counts.items() if count}


class _Batches:
    """Batch sizes that keep each transaction near ``BATCH_SECONDS`` whatever the load.

    A fixed size takes a second or more on a busy machine; each batch's time sets the next
    size, from ``smallest`` to ``largest`` rows.
    """

    def __init__(self, start: int = 500, smallest: int = 50, largest: int = 5_000) -> None:
        self.size, self.smallest, self.largest = start, smallest, largest

    def took(self, seconds: float) -> None:
        aim = self.size * BATCH_SECONDS / max(seconds, 1e-3)
        self.size = int(min(self.largest, max(self.smallest, min(aim, self.size * 2))))


def _settle(job: ImportJob) -> None:
    """Clear the marks of a done job's rows, in short transactions (they are visible already)."""
    batches = _Batches()
    for model in staged_models():
        manager = model._base_manager
        while True:
            began = time.monotonic()
            with _write_transaction(job, "settle"):
                ids = list(
                    manager.filter(pending_import=job).values_list("pk", flat=True)[: batches.size]
                )
                manager.filter(pk__in=ids).update(pending_import=None)
            full = len(ids) == batches.size
            batches.took(time.monotonic() - began)
            if not full:
                break
            time.sleep(PAUSE_SECONDS)


def _discard(job: ImportJob) -> None:
    """Delete the staged rows of a failed import, in short transactions (they stay hidden)."""
    removed = 0
    batches = _Batches()
    # Rows that point at others of the same import go first (members before persons).
    for model in reversed(_dependency_order(staged_models())):
        manager = model._base_manager
        while True:
            began = time.monotonic()
            with _write_transaction(job, "discard"):
                ids = list(_leaves(model, job).values_list("pk", flat=True)[: batches.size])
                manager.filter(pk__in=ids).delete()
            removed += len(ids)
            full = len(ids) == batches.size
            batches.took(time.monotonic() - began)
            if not full:
                break
            time.sleep(PAUSE_SECONDS)
    if removed:
        audit_record(
            job.user,
            "import.discard",
            job,
            unit=job.unit,
            changes={"kind": job.kind, "rows_removed": removed},
        )


def _leaves(model: type[models.Model], job: ImportJob) -> models.QuerySet[Any]:
    """The job's rows of ``model`` that no other row of the job points to (a tree's leaves)."""
    rows = model._base_manager.filter(pending_import=job)
    for f in model._meta.concrete_fields:
        if getattr(f, "related_model", None) is model:
            pointed = rows.filter(**{f"{f.name}__isnull": False}).values(f.attname)
            rows = rows.exclude(pk__in=pointed)
    return rows


def _dependency_order(staged: list[type[models.Model]]) -> list[type[models.Model]]:
    """``staged`` with every model after the staged models its foreign keys point to."""
    ordered: list[type[models.Model]] = []

    def visit(model: type[models.Model], path: tuple[type[models.Model], ...]) -> None:
        if model in ordered or model in path:
            return
        for f in model._meta.concrete_fields:
            target = getattr(f, "related_model", None)
            if target in staged and target is not model:
                visit(target, (*path, model))
        ordered.append(model)

    for model in staged:
        visit(model, ())
    return ordered


def import_jobs_tidy(stale_after: dt.timedelta | None = None) -> int:
    """Finish what stopped workers left: a running job that has not moved for
    ``stale_after`` (its worker died) is closed as failed, done jobs' marks are cleared and
    failed jobs' hidden rows removed. Returns how many jobs it closed."""
    if stale_after is None:
        stale_after = dt.timedelta(seconds=settings.SAFEWARD_IMPORT_STALE_SECONDS)
    closed = [job for job in _stalled_jobs(now() - stale_after) if _close_stalled(job)]
    for model in staged_models():
        marked = model._base_manager.filter(pending_import__isnull=False)
        for job_id, status in marked.values_list(
            "pending_import_id", "pending_import__status"
        ).distinct():
            job = ImportJob.objects.get(pk=job_id)
            if status == Status.DONE:
                _settle(job)
            elif status == Status.FAILED:
                _discard(job)
    return len(closed)


_RUNNING = (Status.CHECKING, Status.WRITING)


def _stalled_jobs(cutoff: dt.datetime) -> models.QuerySet[ImportJob]:
    moved = Coalesce("heartbeat_at", "started_at", "created_at")
    return (
        ImportJob.objects.filter(status__in=_RUNNING)
        .annotate(moved=moved)
        .filter(moved__lt=cutoff)
        .select_related("user")
    )


def _close_stalled(job: ImportJob) -> bool:
    """Mark ``job`` failed unless it moved meanwhile; its rows go with the tidy's next step."""
    with translation.override(job.language or None):
        message = _(
            "The import stopped: the worker running it stopped at {time} and nothing was "
            "imported. Upload the file again."
        ).format(time=_local_time(job.heartbeat_at or job.started_at or job.created_at))
    closing = ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at)
    failed = ImportResult(errors=[RowError(0, message)], error_count=1, rolled_back=True)
    if not closing.update(**_finish_fields(failed, Status.FAILED)):
        return False
    log.warning("import job %s lost its worker; closed as failed", job.pk)
    audit_record(
        job.user,
        "import.abandon",
        job,
        unit=job.unit,
        changes={"kind": job.kind, "rows_written": job.rows_written, "file": job.file_name},
    )
    return True


def _local_time(moment: dt.datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT"))


def import_job_fail(job: ImportJob, message: str) -> None:
    """Close a job that stopped on an unexpected error, removing whatever it staged."""
    result = ImportResult(rolled_back=True)
    result.add(RowError(0, message))
    _finish(job, result, Status.FAILED)
    _discard(job)


def _error_fields(result: ImportResult) -> dict[str, Any]:
    return {
        "error_count": result.error_count,
        "errors": [e.as_dict() for e in result.errors[:ERRORS_KEPT]],
    }


class JobClosed(Exception):
    """The job's row no longer says what this run believes (the tidy closed it)."""


def _finish_fields(result: ImportResult, status: str) -> dict[str, Any]:
    written = result.created if status == Status.DONE else 0
    return {
        "status": status,
        "rows_written": written,
        "finished_at": now(),
        **_error_fields(result),
    }


def _finish(job: ImportJob, result: ImportResult, status: str) -> None:
    _progress(job, **_finish_fields(result, status))


def _progress(job: ImportJob, **fields: Any) -> None:
    """Record how far the job got (a one-row update: its own short transaction at most)."""
    fields["heartbeat_at"] = now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _running(job: ImportJob, **fields: Any) -> None:
    """:func:`_progress` of a job still in the state this run left it; :class:`JobClosed`
    when the tidy closed it meanwhile (its rows must then not be written nor switched in)."""
    fields["heartbeat_at"] = now()
    if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(**fields):
        raise JobClosed(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)


def _common_unit(units: Iterable[Any]) -> Any:
    """The lowest unit above every row's unit (``None`` when the rows name none)."""
    from safeward.core.units import unit_tree

    AdminUnit: Any = unit_tree().model  # the unit model, read through core

    paths = [u.path for u in units]
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return AdminUnit.objects.filter(pk=int(common[-1])).first() if common else None
