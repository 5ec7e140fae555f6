"""Import jobs: start one from an upload, run it (checks, short write batches, switch-in).

See :mod:`safeward.core.importing` for the promises kept: the file's problems first, no
write before every row is checked, no write transaction longer than a batch, and no
reader ever seeing part of a file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.importing import (
    ERRORS_KEPT,
    PROGRESS_SECONDS,
    FileProblem,
    ImportKind,
    ImportResult,
    RowError,
    Table,
    iter_batches,
    missing_columns,
    now,
    read_table,
    row_error,
    unit_cache,
)
from safeward.core.models import ImportJob
from safeward.core.models import ImportJobStatus as Status

log = logging.getLogger(__name__)


class _Abort(Exception):
    """A row failed while writing an all-or-nothing import."""


def check_file(kind: ImportKind, name: str, content: bytes, encoding: str = "auto") -> Table:
    """The file's rows, or a :class:`FileProblem` naming what is wrong with the file."""
    table = read_table(name, content, encoding, max_rows=kind.max_rows)
    missing = missing_columns(kind, table.header)
    if missing:
        raise FileProblem(_("Missing columns: {names}.").format(names=", ".join(missing)))
    return table


def import_job_create(
    actor: Any, kind: ImportKind, *, name: str, partial: bool, encoding: str = "auto"
) -> ImportJob:
    """Record that ``actor`` imports a ``kind`` file (queued; nothing else is written)."""
    return ImportJob.objects.create(
        user=actor,
        kind=kind.code,
        file_name=name[:255],
        partial=partial,
        encoding=encoding,
        language=translation.get_language() or "",
    )


def import_job_start(
    actor: Any, kind: ImportKind, *, name: str, content: bytes, partial: bool, encoding: str
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
    with unit_cache():
        return _execute(job, content)


def _execute(job: ImportJob, content: bytes) -> ImportResult:
    from safeward.core.importing import KINDS

    kind = KINDS[job.kind].kind
    result = ImportResult()
    try:
        table = check_file(kind, job.file_name, content, job.encoding or "auto")
    except FileProblem as problem:
        result.add(RowError(0, problem.message))
        result.rolled_back = result.file_problem = True
        _finish(job, result, Status.FAILED)
        return result
    _progress(job, status=Status.CHECKING, rows_total=len(table.rows), started_at=now())
    valid = _check_rows(job, kind, table, result)
    if not valid or (result.error_count and not job.partial):
        result.rolled_back = True
        _finish(job, result, Status.FAILED)
        return result
    _progress(job, status=Status.WRITING)
    try:
        written = _write_rows(job, kind, valid, result)
    except _Abort:
        _discard(job, kind)
        result.created, result.rolled_back = 0, True
        _finish(job, result, Status.FAILED)
        return result
    except Exception:
        _discard(job, kind)
        raise
    _switch_in(job, kind, written, result)
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
            _progress(job, rows_checked=index, **_error_fields(result))
            last = time.monotonic()
    if kind.dry_run and valid:
        valid = _dry_run(job, kind, valid, result)
    result.errors.sort(key=lambda e: e.row)
    _progress(job, rows_checked=len(table.rows), unit=_common_unit(units.values()))
    return valid


class _DryRun(Exception):
    """Rolls back a batch written only to learn what the services say about its rows."""


def _dry_run(
    job: ImportJob, kind: ImportKind, rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> list[tuple[int, dict[str, str]]]:
    """The rows the services accept, learnt in short transactions that are rolled back."""
    accepted: list[tuple[int, dict[str, str]]] = []
    for batch in iter_batches(rows):
        try:
            with transaction.atomic():
                for number, row in batch:
                    try:
                        with transaction.atomic():
                            kind.handle(job.user, row)
                    except (DomainError, PermissionDenied) as exc:
                        result.add(row_error(number, exc))
                    else:
                        accepted.append((number, row))
                raise _DryRun
        except _DryRun:
            pass
    return accepted


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


def _write_rows(
    job: ImportJob, kind: ImportKind, rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> int:
    """Write every row through the services; staged kinds in short batches, hidden."""
    if not kind.staged:
        with transaction.atomic():
            written = _write_batch(job, kind, rows, result)
            _progress(job, rows_written=written, **_error_fields(result))
        return written
    written = 0
    for batch in iter_batches(rows):
        with transaction.atomic():
            written += _write_batch(job, kind, batch, result)
            _progress(job, rows_written=written, **_error_fields(result))
    return written


def _write_batch(
    job: ImportJob, kind: ImportKind, rows: list[tuple[int, dict[str, str]]], result: ImportResult
) -> int:
    created: list[Any] = []
    for number, row in rows:
        try:
            with transaction.atomic():
                created.append(kind.handle(job.user, row))
        except (DomainError, PermissionDenied) as exc:
            result.add(row_error(number, exc))
            if not job.partial:
                raise _Abort from exc
    for model in kind.staged:
        ids = [obj.pk for obj in created if isinstance(obj, model)]
        model._base_manager.filter(pk__in=ids).update(pending_import=job)
    result.created += len(created)
    return len(created)


def _switch_in(job: ImportJob, kind: ImportKind, written: int, result: ImportResult) -> None:
    """One short transaction makes every staged row visible and closes the job."""
    with transaction.atomic():
        for model in kind.staged:
            model._base_manager.filter(pending_import=job).update(pending_import=None)
        _finish(job, result, Status.DONE)
        audit_record(
            job.user,
            "import.finish",
            job,
            unit=job.unit,
            changes={"kind": job.kind, "rows_written": written, "file": job.file_name},
        )


def _discard(job: ImportJob, kind: ImportKind, batch: int = 500) -> None:
    """Delete the staged rows of a failed import, in short transactions."""
    removed = 0
    for model in kind.staged:
        manager = model._base_manager
        while True:
            with transaction.atomic():
                ids = list(manager.filter(pending_import=job).values_list("pk", flat=True)[:batch])
                manager.filter(pk__in=ids).delete()
            removed += len(ids)
            if len(ids) < batch:
                break
    if removed:
        audit_record(
            job.user,
            "import.discard",
            job,
            unit=job.unit,
            changes={"kind": job.kind, "rows_removed": removed},
        )


def import_job_fail(job: ImportJob, message: str) -> None:
    """Close a job that stopped on an unexpected error, removing whatever it staged."""
    from safeward.core.importing import KINDS

    registered = KINDS.get(job.kind)
    if registered is not None:
        _discard(job, registered.kind)
    result = ImportResult(rolled_back=True)
    result.add(RowError(0, message))
    _finish(job, result, Status.FAILED)


def _error_fields(result: ImportResult) -> dict[str, Any]:
    return {
        "error_count": result.error_count,
        "errors": [e.as_dict() for e in result.errors[:ERRORS_KEPT]],
    }


def _finish(job: ImportJob, result: ImportResult, status: str) -> None:
    written = result.created if status == Status.DONE else 0
    _progress(job, status=status, rows_written=written, finished_at=now(), **_error_fields(result))


def _progress(job: ImportJob, **fields: Any) -> None:
    """Record how far the job got (a one-row update: its own short transaction at most)."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _common_unit(units: Iterable[Any]) -> Any:
    """The lowest unit above every row's unit (``None`` when the rows name none)."""
    from safeward.geo.models import AdminUnit

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
