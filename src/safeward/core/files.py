"""Serving stored files: only through a view that checks the owning record's scope.

Nothing under ``MEDIA_URL`` is served directly. A file is read through the storage API (local
disk today, S3-compatible storage at scale) and answered as a download with a content type
taken from the stored record, never from the request or the file's name. One byte range
(``Range: bytes=a-b``) is answered with 206, so a video player can seek.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.text import get_valid_filename

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError

FALLBACK_TYPE = "application/octet-stream"
BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    """A range that starts past the end of the file (answered 416)."""


def safe_filename(title: str, extension: str, fallback: str = "file") -> str:
    """A download name made of the record's own title: no path, quotes or control characters."""
    try:
        stem = get_valid_filename(os.path.basename(title.strip()))[:80]
    except SuspiciousFileOperation:  # a title such as "." or "..": fall back to a plain name
        stem = ""
    stem = stem.rsplit(".", 1)[0] if extension and stem.lower().endswith("." + extension) else stem
    stem = stem or fallback
    return f"{stem}.{extension}" if extension else stem


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte of the one range ``header`` asks for, or None for the whole
    file (no header, several ranges or a malformed one: RFC 9110 lets a server ignore it)."""
    match = BYTE_RANGE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable
    return start, end


class _Slice:
    """Reads ``handle`` from where it stands for ``length`` bytes, no further."""

    def __init__(self, handle: IO[bytes], length: int) -> None:
        self.handle, self.left = handle, length

    def read(self, size: int = -1) -> bytes:
        wanted = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(wanted) if wanted else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def _size_of(handle: IO[bytes]) -> int:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Even a file opened in its own tab runs no script and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Accept-Ranges"] = "bytes"
    return response


def stored_file_response(
    handle: IO[bytes],
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    byte_range: str = "",
) -> HttpResponseBase:
    """Stream ``handle`` as a private download that browsers neither sniff nor render as a page;
    with ``byte_range`` (a request's Range header) only the bytes it names, as a 206."""
    size = _size_of(handle) if byte_range else 0
    try:
        wanted = requested_range(byte_range, size) if byte_range else None
    except RangeNotSatisfiable:
        handle.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return _private(refused)
    body: Any = handle
    if wanted is not None:
        handle.seek(wanted[0])
        body = _Slice(handle, wanted[1] - wanted[0] + 1)
    response = FileResponse(
        body,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or FALLBACK_TYPE,
    )
    if wanted is not None:
        response.status_code = 206
        response["Content-Length"] = str(wanted[1] - wanted[0] + 1)
        response["Content-Range"] = f"bytes {wanted[0]}-{wanted[1]}/{size}"
    return _private(response)


def open_stored_name(storage: Storage, name: str) -> IO[bytes]:
    """A file derived from a record's file (a thumbnail), read through the same storage."""
    try:
        return storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


def open_stored(file: FieldFile) -> IO[bytes]:
    """The file's bytes through its storage; a file missing from storage answers 404."""
    if not file or not file.name:
        raise Http404
    try:
        return file.storage.open(file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


def serve_stored_file(
    request: Any,
    queryset: Any,
    pk: Any,
    *,
    field: str = "file",
    audit_action: str = "",
    filename: Callable[[Any], str],
    opener: Callable[[Any], IO[bytes]] | None = None,
    inline: bool = False,
    content_type: str = "",
) -> HttpResponseBase:
    """The file in ``field`` of the record ``pk`` the user may view, or 404.

    ``request`` is a Django or a REST framework request (its ``user`` is what counts).

    ``queryset`` is the owning model's scoped manager or queryset: the record is fetched
    through ``restrict(user, "view")``, so out of scope answers like missing. A sensitive file
    is read through ``opener`` (a service that logs the read itself) or gets an audit event
    ``audit_action`` marked as a sensitive read (each request, a video player's seeks
    included: every one reads the file). The content type is ``content_type`` (a derived file
    such as a thumbnail) or else the record's ``content_type``.
    """
    obj: Model = queryset.get_visible(request.user, "view", pk=pk)
    stored: FieldFile = getattr(obj, field)
    if not stored:
        raise Http404
    try:
        handle = opener(obj) if opener is not None else open_stored(stored)
    except (DomainError, FileNotFoundError) as exc:
        # A clip purged at the end of its retention: the record stays, the bytes are gone.
        raise Http404 from exc
    if audit_action:
        audit_record(request.user, audit_action, obj, sensitive_read=True)
    return stored_file_response(
        handle,
        content_type=content_type or getattr(obj, "content_type", "") or FALLBACK_TYPE,
        filename=filename(obj),
        inline=inline,
        byte_range=request.META.get("HTTP_RANGE", ""),
    )
