"""Checking attachments by their content: images are re-encoded without metadata; videos are sniffed."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from safeward.core.errors import DomainError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass
class CleanUpload:
    content: File[Any]
    content_type: str
    sha256: str


def _too_big(name: str, limit: int) -> DomainError:
    return DomainError(
        _("{name} is too large (at most {mb} MB).").format(name=name, mb=limit // (1024 * 1024)),
        field="attachments",
        code="too_large",
    )


def _video_type(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:10] == b"qt" else "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def clean_image(data: bytes, name: str) -> CleanUpload:
    """Decode, apply orientation, drop EXIF/GPS/device data, re-encode."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            img.load()
            upright = ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise _not_media(name) from exc
    if fmt not in IMAGE_FORMATS:
        raise _not_media(name)
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=88)
    else:
        upright.save(out, fmt)
    body = out.getvalue()
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    return CleanUpload(
        ContentFile(body, name=f"photo.{ext}"), IMAGE_FORMATS[fmt], hashlib.sha256(body).hexdigest()
    )


def _not_media(name: str) -> DomainError:
    return DomainError(
        _("{name} is not a photo (JPEG, PNG, WebP) or a video (MP4, MOV, WebM).").format(name=name),
        field="attachments",
        code="bad_file",
    )


def clean_upload(upload: Any) -> CleanUpload:
    """Check one uploaded file by content and size; never trust its name or declared type."""
    name = str(getattr(upload, "name", "file"))[:80]
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_VIDEO_BYTES:
        raise _too_big(name, MAX_VIDEO_BYTES)
    upload.seek(0)
    head = upload.read(16)
    video = _video_type(head)
    if video:
        return _clean_video(upload, name, video)
    if size > MAX_IMAGE_BYTES:
        raise _too_big(name, MAX_IMAGE_BYTES)
    upload.seek(0)
    return clean_image(upload.read(), name)


def _clean_video(upload: Any, name: str, content_type: str) -> CleanUpload:
    """Hash the video chunk by chunk; storage later copies it the same way (never whole in memory)."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    ext = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}[content_type]
    return CleanUpload(File(upload, name=f"video.{ext}"), content_type, digest.hexdigest())


def clean_uploads(uploads: list[Any]) -> list[CleanUpload]:
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("Attach at most {n} files.").format(n=MAX_FILES), field="attachments", code="too_many"
        )
    return [clean_upload(u) for u in uploads]
