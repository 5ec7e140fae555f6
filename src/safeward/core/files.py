"""Serving stored files: only through a view that checks the owning record's scope.

Nothing under ``MEDIA_URL`` is served directly. A file is read through the storage API (local
disk today, S3-compatible storage at scale) and answered as a download with a content type
taken from the stored record, never from the request or the file's name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError

FALLBACK_TYPE = "application/octet-stream"


def safe_filename(title: str, extension: str, fallback: str = "file") -> str:
    """A download name made of the record's own title: no path, quotes or control characters."""
    try:
        stem = get_valid_filename(os.path.basename(title.strip()))[:80]
    except SuspiciousFileOperation:  # a title such as "." or "..": fall back to a plain name
        stem = ""
    stem = stem.rsplit(".", 1)[0] if extension and stem.lower().endswith("." + extension) else stem
    stem = stem or fallback
    return f"{stem}.{extension}" if extension else stem


def stored_file_response(
    handle: IO[bytes], *, content_type: str, filename: str, inline: bool = False
) -> FileResponse:
    """Stream ``handle`` as a private download that browsers neither sniff nor render as a page."""
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or FALLBACK_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Even a file opened in its own tab runs no script and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
) -> FileResponse:
    """The file in ``field`` of the record ``pk`` the user may view, or 404.

    ``request`` is a Django or a REST framework request (its ``user`` is what counts).

    ``queryset`` is the owning model's scoped manager or queryset: the record is fetched
    through ``restrict(user, "view")``, so out of scope answers like missing. A sensitive file
    is read through ``opener`` (a service that logs the read itself) or gets an audit event
    ``audit_action`` marked as a sensitive read. The content type comes from the record's
    ``content_type``.
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
        content_type=getattr(obj, "content_type", "") or FALLBACK_TYPE,
        filename=filename(obj),
        inline=inline,
    )
