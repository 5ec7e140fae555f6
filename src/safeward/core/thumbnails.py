"""Small previews of stored photos and videos, made once and kept beside the originals.

A thumbnail is a JPEG of at most :data:`THUMBNAIL_SIDE` pixels on its long side, stored in the
original's storage under a name derived from the original's (so it is found again without a
database column). A video's thumbnail is a frame taken by ffmpeg; a video no frame can be
taken from has none, and the page shows a plain tile instead. Files are read through the
storage API; ffmpeg gets a local copy when the storage has no local path (object storage).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from PIL import Image

from safeward.core.uploads import CHUNK, DECODE_ERRORS

THUMBNAIL_SIDE = 320
FRAME_SECONDS = 20
# A video whose frame could not be taken is not tried again on every page view.
FAILED_FOR_SECONDS = 24 * 3600


def thumbnail_name(name: str, side: int = THUMBNAIL_SIDE) -> str:
    """``reports/2026/12/photo.jpg`` -> ``thumbnails/reports/2026/12/photo-320.jpg``."""
    stem = name.rsplit(".", 1)[0] if "." in Path(name).name else name
    return f"thumbnails/{stem}-{side}.jpg"


def downscaled_jpeg(image: Image.Image, side: int = THUMBNAIL_SIDE) -> bytes:
    """The image within ``side`` x ``side`` pixels, transparency laid on white, as a JPEG."""
    image.thumbnail((side, side))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def photo_thumbnail(file: FieldFile, side: int = THUMBNAIL_SIDE) -> bytes | None:
    try:
        with file.storage.open(str(file.name), "rb") as handle, Image.open(handle) as image:
            image.draft("RGB", (side, side))  # a JPEG decodes at a fraction of its size
            return downscaled_jpeg(image, side)
    except DECODE_ERRORS:
        return None


@contextmanager
def local_path(file: FieldFile) -> Iterator[Path]:
    """A path ffmpeg can read: the file itself on local disk, else a temporary copy."""
    if isinstance(file.storage, FileSystemStorage):
        yield Path(file.storage.path(str(file.name)))
        return
    with tempfile.NamedTemporaryFile(prefix="sw-media-") as copy:
        with file.storage.open(str(file.name), "rb") as handle:
            shutil.copyfileobj(handle, copy, CHUNK)
        copy.flush()
        yield Path(copy.name)


def _run(command: list[str]) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, files of our own naming)
            command, capture_output=True, timeout=FRAME_SECONDS
        )
    except (subprocess.TimeoutExpired, OSError):
        return b""
    return done.stdout if done.returncode == 0 else b""


def video_duration(path: Path) -> float | None:
    """The video's length in seconds, as ffprobe reads it from the container."""
    out = _run(
        [
            "ffprobe", "-v", "error", "-show_entries", "format=duration",
            "-of", "default=noprint_wrappers=1:nokey=1", str(path),
        ]
    )  # fmt: skip
    try:
        return float(out.decode().strip())
    except ValueError:
        return None


def video_frame(path: Path, at: float) -> bytes:
    """One frame at ``at`` seconds as PNG bytes (empty when there is none)."""
    return _run(
        [
            "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
            "-ss", f"{at:.2f}", "-i", str(path), "-frames:v", "1",
            "-f", "image2pipe", "-c:v", "png", "-",
        ]
    )  # fmt: skip


def video_thumbnail(file: FieldFile, side: int = THUMBNAIL_SIDE) -> bytes | None:
    """A frame a second in (or half way through a shorter video), else the first frame."""
    if shutil.which("ffmpeg") is None:
        return None
    try:
        with local_path(file) as path:
            duration = video_duration(path) or 0.0
            frame = video_frame(path, min(1.0, duration / 2)) or video_frame(path, 0)
    except OSError:  # gone from storage
        return None
    if not frame:
        return None
    try:
        with Image.open(io.BytesIO(frame)) as image:
            return downscaled_jpeg(image, side)
    except DECODE_ERRORS:
        return None


def stored_thumbnail(file: FieldFile, content_type: str) -> str | None:
    """The name of ``file``'s thumbnail in its storage, made on the first call; None when
    none can be made (not a photo or video, or a video without a readable frame)."""
    if not file.name:
        return None
    name = thumbnail_name(file.name)
    storage = file.storage
    if storage.exists(name):
        return name
    failed_key = "thumbnail-failed:" + name
    if cache.get(failed_key):
        return None
    if content_type.startswith("image/"):
        data = photo_thumbnail(file)
    elif content_type.startswith("video/"):
        data = video_thumbnail(file)
    else:
        data = None
    if data is None:
        cache.set(failed_key, True, FAILED_FOR_SECONDS)
        return None
    # Two first views at once may both save; the storage keeps one under the derived name.
    return str(storage.save(name, ContentFile(data)))


def cached_video_duration(file: FieldFile, sha256: str) -> float | None:
    """The video's length, read once per content (the stored file never changes)."""
    key = "video-duration:" + sha256
    found = cache.get(key)
    if found is None:
        try:
            with local_path(file) as path:
                found = video_duration(path) or -1.0
        except OSError:  # gone from storage
            found = -1.0
        cache.set(key, found, None)
    return float(found) if found >= 0 else None
