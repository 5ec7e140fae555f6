"""Row-by-row import of CSV/XLSX files: every row checked, nothing written unless all pass
(or, when asked, only the rows that pass). Each app describes its files as ``ImportKind``s."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safeward.core.errors import DomainError

RowHandler = Callable[[Any, dict[str, str]], Any]


@dataclass
class RowError:
    row: int
    message: str
    field: str = ""


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rolled_back: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportKind:
    """What one kind of file holds: its columns, how rows are keyed and written."""

    code: str
    label: Any
    columns: list[str]
    key: Callable[[dict[str, str]], tuple[str, ...]]
    handle: RowHandler


class _Abort(Exception):
    pass


def read_rows(name: str, content: bytes) -> Iterator[dict[str, str]]:
    """Rows of a CSV (UTF-8, optional BOM) or XLSX file as dicts keyed by lower-case header."""
    if name.lower().endswith(".xlsx"):
        yield from _xlsx_rows(content)
        return
    text = content.decode("utf-8-sig")
    for raw in csv.DictReader(io.StringIO(text)):
        yield {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}


def _xlsx_rows(content: bytes) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    rows = sheet.iter_rows(values_only=True)  # type: ignore[union-attr]
    header = [str(h or "").strip().lower() for h in next(rows, ())]
    for values in rows:
        if not any(v not in (None, "") for v in values):
            continue
        yield {h: _cell(v) for h, v in zip(header, values, strict=False)}


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def run_import(
    actor: Any, kind: ImportKind, name: str, content: bytes, *, partial: bool = False
) -> ImportResult:
    """Import every row; all-or-nothing unless ``partial`` (then failed rows are skipped)."""
    result = ImportResult()
    try:
        rows = list(read_rows(name, content))
    except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        result.errors.append(RowError(0, _("The file cannot be read: {error}").format(error=exc)))
        return result
    missing = [c for c in kind.columns if rows and c not in rows[0]]
    if not rows or missing:
        message = (
            _("Missing columns: {names}.").format(names=", ".join(missing))
            if missing
            else _("The file has no rows.")
        )
        result.errors.append(RowError(1, message))
        return result
    try:
        with transaction.atomic():
            _import_rows(actor, kind, rows, result)
            if result.errors and not partial:
                raise _Abort
    except _Abort:
        result.rolled_back, result.created = True, 0
    return result


def _import_rows(
    actor: Any, kind: ImportKind, rows: list[dict[str, str]], result: ImportResult
) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(rows, start=2):
        key = kind.key(row)
        if key in seen:
            result.errors.append(
                RowError(number, _("Duplicate of row {row}.").format(row=seen[key]))
            )
            continue
        seen[key] = number
        try:
            with transaction.atomic():
                kind.handle(actor, row)
        except DomainError as exc:
            result.errors.append(RowError(number, exc.message, exc.field or ""))
        except PermissionDenied as exc:
            result.errors.append(RowError(number, str(exc) or _("Not allowed.")))
        else:
            result.created += 1


# --- cell parsers shared by the row handlers ----------------------------------------------
def cell_date(row: dict[str, str], name: str, required: bool = True) -> dt.date | None:
    value = row.get(name, "")
    if not value:
        if required:
            raise DomainError(_("{field} is required.").format(field=name), field=name)
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise DomainError(
            _("{field} must be a date written YYYY-MM-DD.").format(field=name), field=name
        ) from exc


def cell_day(row: dict[str, str], name: str) -> dt.date:
    """A required date cell."""
    day = cell_date(row, name, required=True)
    if day is None:  # cell_date raises first; this keeps the type checker informed
        raise DomainError(_("{field} is required.").format(field=name), field=name)
    return day


def cell_dates(row: dict[str, str], name: str) -> list[dt.date]:
    """Dates separated by ``;`` or ``,`` in one cell."""
    parts = [p.strip() for p in row.get(name, "").replace(";", ",").split(",") if p.strip()]
    return [cell_day({name: part}, name) for part in parts]


def cell_int(row: dict[str, str], name: str, default: int = 0) -> int:
    value = row.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise DomainError(
            _("{field} must be a whole number.").format(field=name), field=name
        ) from exc


def cell_unit(row: dict[str, str], name: str = "unit_code") -> Any:
    from safeward.geo.models import AdminUnit

    code = row.get(name, "")
    unit = AdminUnit.objects.filter(code=code).first() if code else None
    if unit is None:
        raise DomainError(_("Unknown unit code “{code}”.").format(code=code), field=name)
    return unit
