"""Importing CSV/XLSX files, the one framework every app's importer uses.

A file is read first (encoding, size, header: problems of the file come before any row),
then every row is checked without writing, then the rows are written through the app's
services in transactions of about ``BATCH_SECONDS``, pausing between them so that other
writers are never kept waiting behind a run of batches. Every row a service creates in a
model with a ``pending_import`` mark (see :func:`safeward.core.querysets.pending_import_field`)
carries the job while it is written, and the models' managers hide it until the job is
done: the last transaction changes the job's one row, however large the file, so readers
see the whole file at once or nothing of it. A failure deletes the marked rows again, in
short transactions. So an import is all-or-nothing (or, when asked, only the valid rows)
and never holds SQLite's write lock for more than a batch. Each app describes its files
as :class:`ImportKind` and registers them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.core.errors import DomainError

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

log = logging.getLogger(__name__)

RowHandler = Callable[[Any, dict[str, str]], Any]
RowCheck = Callable[[Any, dict[str, str]], Any]


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


MAX_FILE_BYTES = _limit("SAFEWARD_IMPORT_MAX_BYTES", 32 * 1024 * 1024)
MAX_ROWS = _limit("SAFEWARD_IMPORT_MAX_ROWS", 100_000)
MAX_FIELD_CHARS = _limit("SAFEWARD_IMPORT_MAX_FIELD_CHARS", 100_000)
ERRORS_KEPT = 100
# A write transaction takes rows until it has been open this long (plus one row's time).
BATCH_SECONDS = 0.2
# The pause after each write transaction: long enough for a writer polling the lock (every
# 2 ms at most, see safeward.core.sqlite) to take it before the import's next batch.
PAUSE_SECONDS = 0.02
PROGRESS_SECONDS = 0.5
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the smallest integer column on either database

# The csv module refuses fields past 128 KiB with an exception; this framework measures
# fields itself (MAX_FIELD_CHARS), so the module may read anything a file can hold.
csv.field_size_limit(max(MAX_FILE_BYTES, csv.field_size_limit()))

ENCODINGS = [
    ("auto", gettext_lazy("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1258", "Windows-1258 (TCVN)"),
]
# Letters only Vietnamese text has: Windows-1258 text decodes into some of them, text in
# another single-byte encoding almost never does.
_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RowError:
    row: int
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rolled_back: bool = False
    file_problem: bool = False

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(error)


@dataclass(frozen=True)
class ImportKind:
    """What one kind of file holds: its columns, how rows are keyed, checked and written.

    ``check`` validates a row without writing (it may return the row's unit);
    ``handle`` writes it through the app's services. What the services create in models
    with a ``pending_import`` mark stays hidden until the whole file is written; a model
    a kind writes must have the mark (``tests/core/test_import_staging.py`` checks it).
    A kind that changes rows already visible (a dataset bringing existing units up to date)
    keeps those changes back and applies them in ``switch_in``, which runs inside the
    switch-in's transaction: a failed or abandoned import then changed nothing.
    """

    code: str
    label: Any
    columns: list[str]
    key: Callable[[dict[str, str]], tuple[str, ...]]
    handle: RowHandler
    check: RowCheck | None = None
    switch_in: Callable[[], None] | None = None


@dataclass(frozen=True)
class RegisteredKind:
    kind: ImportKind
    permission: str


KINDS: dict[str, RegisteredKind] = {}


def register_kind(kind: ImportKind, permission: str) -> None:
    """Offer ``kind`` to users holding ``permission`` somewhere."""
    KINDS[kind.code] = RegisteredKind(kind, permission)


# --- reading the file -------------------------------------------------------------------
@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str = ""


def decode_text(content: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The file's text and the encoding it was read with, or a :class:`FileProblem`."""
    if encoding != "auto":
        return _decode_as(content, encoding), encoding
    if content.startswith(b"\xef\xbb\xbf"):
        return _decode_as(content, "utf-8-sig"), "utf-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(content, "utf-16"), "utf-16"
    if _looks_utf16(content):
        return _decode_as(content, _utf16_order(content)), "utf-16"
    try:
        return unicodedata.normalize("NFC", content.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and _VIETNAMESE & set(text):
        return unicodedata.normalize("NFC", text), "cp1258"
    raise FileProblem(
        _(
            "The file's text encoding is not recognised. Save it as “CSV UTF-8”, or choose "
            "its encoding (UTF-16 or Windows-1258) and upload it again."
        )
    )


def _looks_utf16(content: bytes) -> bool:
    sample = content[:4000]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)


def _utf16_order(content: bytes) -> str:
    sample = content[:4000]
    return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"


def _decode_as(content: bytes, encoding: str) -> str:
    try:
        return unicodedata.normalize("NFC", content.decode(encoding))
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileProblem(
            _("The file is not valid {encoding} text (byte {position}).").format(
                encoding=encoding.upper(), position=getattr(exc, "start", 0) + 1
            )
        ) from exc


def read_table(
    name: str, content: bytes, encoding: str = "auto", max_rows: int = MAX_ROWS
) -> Table:
    """The file's header and rows (values stripped, keyed by lower-case header)."""
    if not content.strip():
        raise FileProblem(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(
            _("The file is larger than {size} MB.").format(size=MAX_FILE_BYTES // 2**20)
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("Old Excel .xls files are not read: save it as .xlsx or CSV."))
    if name.lower().endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04"):
        header, rows = _xlsx_table(content, max_rows)
        table = Table(header, rows, "xlsx")
    else:
        text, used = decode_text(content, encoding)
        header, rows = _csv_table(text, max_rows)
        table = Table(header, rows, used)
    if not table.rows:
        raise FileProblem(_("The file has a header row but no data rows."))
    return table


def _checked_header(raw: list[Any]) -> list[str]:
    header = [str(h or "").strip().lower() for h in raw]
    if not any(header):
        raise FileProblem(_("The first row must name the columns; it is empty."))
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise FileProblem(_("Column “{name}” appears twice.").format(name=name))
        seen.add(name)
    return header


def _row_dict(number: int, header: list[str], values: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for index, name in enumerate(header):
        value = values[index] if index < len(values) else ""
        if len(value) > MAX_FIELD_CHARS:
            raise FileProblem(
                _("Field too long in row {row} column {column} (at most {n} characters).").format(
                    row=number, column=name or index + 1, n=MAX_FIELD_CHARS
                )
            )
        if name:
            row[name] = value.strip()
    return row


def _too_many(max_rows: int) -> FileProblem:
    return FileProblem(_("The file has more than {n} rows: split it.").format(n=max_rows))


def _csv_table(text: str, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = _checked_header(next(reader, []))
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= max_rows:
                raise _too_many(max_rows)
            rows.append((reader.line_num, _row_dict(reader.line_num, header, values)))
    except csv.Error as exc:
        raise FileProblem(
            _("The CSV file is malformed near line {line}.").format(line=reader.line_num)
        ) from exc
    return header, rows


def _xlsx_table(
    content: bytes, max_rows: int
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    unreadable = FileProblem(_("The file is not a readable XLSX workbook."))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise unreadable
        values = sheet.iter_rows(values_only=True)
        header = _checked_header(list(next(values, ())))
        rows: list[tuple[int, dict[str, str]]] = []
        for number, raw in enumerate(values, start=2):
            cells = [_cell(v) for v in raw]
            if not any(cells):
                continue
            if len(rows) >= max_rows:
                raise _too_many(max_rows)
            rows.append((number, _row_dict(number, header, cells)))
        book.close()
    except FileProblem:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise unreadable from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged parts; none is the user's
        log.info("unreadable xlsx: %r", exc)
        raise unreadable from exc
    return header, rows


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def missing_columns(kind: ImportKind, header: list[str]) -> list[str]:
    return [c for c in kind.columns if c not in header]


# --- cell parsers shared by the row checks and handlers -----------------------------------
def cell_text(row: dict[str, str], name: str, *, max_length: int, required: bool = False) -> str:
    value = row.get(name, "")
    if required and not value:
        raise DomainError(_("{field} is required.").format(field=name), field=name)
    if len(value) > max_length:
        raise DomainError(
            _("{field} is longer than {n} characters.").format(field=name, n=max_length),
            field=name,
        )
    return value


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


def cell_int(
    row: dict[str, str],
    name: str,
    default: int = 0,
    *,
    minimum: int = INT_MIN,
    maximum: int = INT_MAX,
) -> int:
    """A whole number within the column's range (an overflow is the row's error)."""
    value = row.get(name, "").replace(" ", "")
    if not value:
        return default
    if value.endswith(".0"):
        value = value[:-2]
    try:
        number = int(value)
    except ValueError as exc:
        raise DomainError(
            _("{field} “{value}” is not a whole number.").format(field=name, value=value[:40]),
            field=name,
        ) from exc
    if not minimum <= number <= maximum:
        raise DomainError(
            _("{field} must be between {low} and {high}.").format(
                field=name, low=minimum, high=maximum
            ),
            field=name,
        )
    return number


def cell_number(row: dict[str, str], name: str, *, minimum: float, maximum: float) -> float | None:
    """A decimal number (point or comma) within bounds, or ``None`` when empty."""
    value = row.get(name, "").replace(" ", "").replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise DomainError(
            _("{field} “{value}” is not a number.").format(field=name, value=value[:40]),
            field=name,
        ) from exc
    if not math.isfinite(number) or not minimum <= number <= maximum:
        raise DomainError(
            _("{field} must be between {low} and {high}.").format(
                field=name, low=minimum, high=maximum
            ),
            field=name,
        )
    return number


# Units by code for the import running in this context: a file names few units many times.
_units: ContextVar[dict[str, Any] | None] = ContextVar("import_units", default=None)


@contextmanager
def unit_cache() -> Iterator[None]:
    token = _units.set({})
    try:
        yield
    finally:
        _units.reset(token)


def cell_unit(row: dict[str, str], name: str = "unit_code") -> Any:
    from safeward.core.units import unit_tree

    AdminUnit: Any = unit_tree().model  # the unit model, read through core
    code = row.get(name, "")
    cache = _units.get()
    if cache is not None and code in cache:
        unit = cache[code]
    else:
        unit = AdminUnit.objects.filter(code=code).first() if code and len(code) <= 64 else None
        if cache is not None:
            cache[code] = unit
    if unit is None:
        raise DomainError(_("Unknown unit code “{code}”.").format(code=code[:64]), field=name)
    return unit


def row_error(number: int, exc: Exception) -> RowError:
    """The user's message for a row's failure; never the text of an unexpected exception."""
    if isinstance(exc, DomainError):
        return RowError(number, str(exc.message), exc.field or "")
    if isinstance(exc, PermissionDenied):
        return RowError(number, str(exc) or _("Not allowed."))
    return RowError(number, _("This row cannot be imported."))


# --- running an import --------------------------------------------------------------------
def run_import(
    actor: Viewer,
    kind: ImportKind,
    name: str,
    content: bytes,
    *,
    partial: bool = False,
    encoding: str = "auto",
) -> ImportResult:
    """Import the file now, in this process: all-or-nothing unless ``partial``."""
    from safeward.core.importjobs import import_job_create, import_job_execute

    job = import_job_create(actor, kind, name=name, partial=partial, encoding=encoding)
    return import_job_execute(job, content)


def now() -> dt.datetime:
    return timezone.now()
