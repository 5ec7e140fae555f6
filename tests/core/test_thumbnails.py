"""Thumbnails: a name derived from the original's, and a small opaque JPEG whatever the source."""

from __future__ import annotations

import io

from PIL import Image

from safeward.core.thumbnails import downscaled_jpeg, thumbnail_name


def test_thumbnail_name_is_derived_from_the_original_and_kept_apart() -> None:
    assert thumbnail_name("reports/2026/12/photo_ab12.png") == (
        "thumbnails/reports/2026/12/photo_ab12-320.jpg"
    )
    assert thumbnail_name("reports/2026/12/video") == "thumbnails/reports/2026/12/video-320.jpg"


def test_transparent_picture_is_laid_on_white() -> None:
    clear = Image.new("RGBA", (640, 640), (0, 0, 0, 0))
    with Image.open(io.BytesIO(downscaled_jpeg(clear))) as thumb:
        assert thumb.format == "JPEG" and thumb.mode == "RGB" and thumb.size == (320, 320)
        assert thumb.getpixel((10, 10)) == (255, 255, 255)


def test_small_picture_is_not_enlarged() -> None:
    small = Image.new("L", (100, 40), 128)
    with Image.open(io.BytesIO(downscaled_jpeg(small))) as thumb:
        assert thumb.size == (100, 40) and thumb.mode == "RGB"
