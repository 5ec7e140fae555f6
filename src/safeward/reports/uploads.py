"""Report attachments: photos and videos through the shared upload pipeline
(:mod:`safeward.core.uploads`), within the limits of a citizen report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safeward.core.errors import DomainError
from safeward.core.uploads import CleanUpload, clean_media

__all__ = ["MAX_FILES", "CleanUpload", "clean_upload", "clean_uploads"]

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_FILES = 5
FIELD = "attachments"


def clean_upload(upload: Any) -> CleanUpload:
    """One attachment checked by content and size and stripped of its metadata."""
    return clean_media(
        upload, field=FIELD, max_image_bytes=MAX_IMAGE_BYTES, max_video_bytes=MAX_VIDEO_BYTES
    )


def clean_uploads(uploads: list[Any]) -> list[CleanUpload]:
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("Attach at most {n} files.").format(n=MAX_FILES), field=FIELD, code="too_many"
        )
    return [clean_upload(u) for u in uploads]
