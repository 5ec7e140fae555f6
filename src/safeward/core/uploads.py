"""The one pipeline every user upload goes through (evidence clips excepted: kept byte for byte).

Images have their size checked before they are decoded, are turned upright, rebuilt from
their pixels alone and re-encoded, so no EXIF (with GPS), XMP, IPTC, ICC profile, comment,
PNG text chunk or thumbnail survives. Videos are re-muxed by ffmpeg without container,
stream and chapter metadata, cover pictures or data tracks (where cameras keep GPS
telemetry). Whatever cannot be decoded is refused with a :class:`DomainError` (a 400).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db.models import FileField, Model
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from safeward.core.errors import DomainError

FFMPEG_SECONDS = 60
CHUNK = 1 << 20
# Pillow format -> (stored content type, extension, format written). A GIF keeps its first
# frame as a PNG: GIF cannot be written without its palette tricks and is rarely a photo.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", "JPEG"),
    "PNG": ("image/png", "png", "PNG"),
    "WEBP": ("image/webp", "webp", "WEBP"),
    "GIF": ("image/png", "png", "PNG"),
}
VIDEO_EXTENSIONS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
# What Pillow's decoders raise on broken or hostile input (besides OSError and its
# UnidentifiedImageError); none of them may reach the user as a server error.
DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ValueError,
    SyntaxError,
    TypeError,
    struct.error,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass
class CleanUpload:
    """A file fit to store: ``content`` carries a safe name, ``content_type`` was sniffed."""

    content: File[Any]
    content_type: str
    sha256: str

    @property
    def extension(self) -> str:
        return Path(self.content.name or "").suffix.lstrip(".")


def max_pixels() -> int:
    return int(getattr(settings, "SAFEWARD_UPLOAD_MAX_PIXELS", 40_000_000))


def video_type(head: bytes) -> str | None:
    """The video container a file's first bytes announce, if any."""
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:10] == b"qt" else "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def looks_like_image(head: bytes) -> bool:
    """Whether a file's first bytes announce one of the accepted image formats."""
    return head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def not_media_error(name: str, field: str) -> DomainError:
    return DomainError(
        _("{name} is not a photo (JPEG, PNG, WebP, GIF) or a video (MP4, MOV, WebM).").format(
            name=name
        ),
        field=field,
        code="bad_file",
    )


def invalid_image_error(name: str, field: str) -> DomainError:
    return DomainError(
        _("{name}: the file is not a valid image.").format(name=name),
        field=field,
        code="bad_image",
    )


def _check_pixels(size: tuple[int, int], name: str, field: str) -> None:
    width, height = size
    cap = max_pixels()
    if width * height > cap:
        raise DomainError(
            _(
                "{name} has {mp} megapixels; at most {cap} megapixels are accepted. "
                "Send a smaller photo."
            ).format(name=name, mp=round(width * height / 1e6, 1), cap=cap // 1_000_000),
            field=field,
            code="too_many_pixels",
        )


def _normalised(img: Image.Image, written: str) -> Image.Image:
    """The pixels in a mode the written format stores, transparency turned into alpha."""
    transparent = "transparency" in img.info or img.mode in ("RGBA", "LA", "PA", "La", "RGBa")
    if written == "JPEG":
        target = "L" if img.mode in ("1", "L") else "RGB"
    elif written == "PNG" and img.mode in ("1", "L", "LA", "RGB", "RGBA", "I;16"):
        target = "RGBA" if "transparency" in img.info else img.mode
    else:
        target = "RGBA" if transparent else "RGB"
    return img if img.mode == target else img.convert(target)


def _pixels_only(img: Image.Image) -> Image.Image:
    """A new image holding nothing but the pixels: no info, EXIF, ICC, XMP or comment."""
    return Image.frombytes(img.mode, img.size, img.tobytes())


def _encode(img: Image.Image, written: str) -> bytes:
    out = io.BytesIO()
    if written == "JPEG":
        img.save(out, "JPEG", quality=88)
    elif written == "WEBP":
        img.save(out, "WEBP", quality=88)
    else:
        img.save(out, "PNG")
    return out.getvalue()


def _decode_and_rewrite(data: bytes, name: str, field: str) -> tuple[str, bytes]:
    with Image.open(io.BytesIO(data)) as img:
        if img.format not in IMAGE_FORMATS:
            raise not_media_error(name, field)
        # The header is read; the pixels are not, so an oversized image costs nothing yet.
        _check_pixels(img.size, name, field)
        img.load()
        upright = ImageOps.exif_transpose(img)
        written = IMAGE_FORMATS[img.format][2]
        return img.format, _encode(_pixels_only(_normalised(upright, written)), written)


def clean_image(data: bytes, name: str, *, field: str = "file") -> CleanUpload:
    """Check the pixel count, decode, apply the EXIF orientation, re-encode the pixels alone."""
    try:
        fmt, body = _decode_and_rewrite(data, name, field)
    except DomainError:
        raise
    except UnidentifiedImageError as exc:
        # Pillow names a damaged header "unidentified"; a file that starts like a photo is one.
        if looks_like_image(data[:16]):
            raise invalid_image_error(name, field) from exc
        raise not_media_error(name, field) from exc
    except DECODE_ERRORS as exc:
        raise invalid_image_error(name, field) from exc
    content_type, ext, _written = IMAGE_FORMATS[fmt]
    return CleanUpload(
        ContentFile(body, name=f"photo.{ext}"), content_type, hashlib.sha256(body).hexdigest()
    )


def _chunks(upload: Any) -> Iterator[bytes]:
    upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
        return
    yield from iter(lambda: upload.read(CHUNK), b"")


def clean_video(upload: Any, name: str, content_type: str, *, field: str = "file") -> CleanUpload:
    """Copy the streams into a new container without metadata; refuse what ffmpeg cannot read."""
    ext = VIDEO_EXTENSIONS[content_type]
    with tempfile.TemporaryDirectory(prefix="sw-video-") as tmp:
        source, target = Path(tmp) / f"in.{ext}", Path(tmp) / f"out.{ext}"
        with source.open("wb") as out:
            for chunk in _chunks(upload):
                out.write(chunk)
        strip_video_metadata(source, target, name, field=field)
        cleaned = tempfile.TemporaryFile()  # noqa: SIM115 (handed to storage, closed with it)
        digest = hashlib.sha256()
        with target.open("rb") as result:
            while chunk := result.read(CHUNK):
                digest.update(chunk)
                cleaned.write(chunk)
    cleaned.seek(0)
    return CleanUpload(File(cleaned, name=f"video.{ext}"), content_type, digest.hexdigest())


def ffmpeg_command(source: Path, target: Path) -> list[str]:
    """Video (not cover pictures, which carry their own EXIF) and audio streams copied as they
    are; global, stream and chapter metadata and data tracks left behind."""
    return [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", str(source),
        "-map", "0:V", "-map", "0:a?",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-c", "copy", "-movflags", "+faststart",
        str(target),
    ]  # fmt: skip


def strip_video_metadata(source: Path, target: Path, name: str, *, field: str = "file") -> None:
    if shutil.which("ffmpeg") is None:
        raise DomainError(
            _("This server cannot accept videos at the moment; please send photos instead."),
            field=field,
            code="no_video",
        )
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, files of our own naming)
            ffmpeg_command(source, target), capture_output=True, timeout=FFMPEG_SECONDS
        )
    except subprocess.TimeoutExpired:
        done = None
    if done is None or done.returncode != 0 or not target.exists() or not target.stat().st_size:
        raise DomainError(
            _("{name} could not be read as a video. Send an MP4, MOV or WebM file.").format(
                name=name
            ),
            field=field,
            code="bad_video",
        )


def upload_name(upload: Any) -> str:
    """The name the user gave the file, shortened, for messages only (never for storage)."""
    return str(getattr(upload, "name", "") or _("file"))[:80]


def too_large_error(name: str, limit: int, field: str) -> DomainError:
    return DomainError(
        _("{name} is too large (at most {mb} MB).").format(name=name, mb=limit // (1024 * 1024)),
        field=field,
        code="too_large",
    )


def clean_media(
    upload: Any, *, field: str = "file", max_image_bytes: int, max_video_bytes: int
) -> CleanUpload:
    """Check one uploaded photo or video by content and size, and strip its metadata.

    The declared name and type are never trusted; the file's first bytes decide.
    """
    name = upload_name(upload)
    size = int(getattr(upload, "size", 0) or 0)
    if size > max(max_image_bytes, max_video_bytes):
        raise too_large_error(name, max(max_image_bytes, max_video_bytes), field)
    upload.seek(0)
    video = video_type(upload.read(16))
    if video:
        if size > max_video_bytes:
            raise too_large_error(name, max_video_bytes, field)
        return clean_video(upload, name, video, field=field)
    if size > max_image_bytes:
        raise too_large_error(name, max_image_bytes, field)
    upload.seek(0)
    return clean_image(upload.read(), name, field=field)


@contextmanager
def stored_files(
    model: type[Model], contents: Sequence[File[Any]], *, field: str = "file"
) -> Iterator[list[str]]:
    """Save cleaned files to the storage of ``model.field``, yielding their names; when the
    block raises (its records were not written) the files are removed again, so a refused
    or failed upload leaves nothing behind."""
    model_field = model._meta.get_field(field)
    assert isinstance(model_field, FileField)
    names: list[str] = []
    try:
        for content in contents:
            wanted = model_field.generate_filename(None, content.name or "file")
            names.append(
                model_field.storage.save(wanted, content, max_length=model_field.max_length)
            )
        yield names
    except BaseException:
        for name in names:
            model_field.storage.delete(name)
        raise
