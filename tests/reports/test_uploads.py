"""Attachments are judged by content, never by name or declared type."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeward.core.errors import DomainError
from safeward.reports import uploads


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


def test_mp4_is_recognised_by_its_header_whatever_its_name() -> None:
    video = SimpleUploadedFile("clip.txt", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    clean = uploads.clean_upload(video)
    assert clean.content_type == "video/mp4" and clean.content.name == "video.mp4"


def test_png_named_jpg_is_stored_as_png() -> None:
    clean = uploads.clean_upload(SimpleUploadedFile("a.jpg", png_bytes(), "image/jpeg"))
    assert clean.content_type == "image/png"


def test_oversized_image_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 10)
    with pytest.raises(DomainError) as err:
        uploads.clean_upload(SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    assert err.value.code == "too_large"


def test_more_than_five_files_are_refused() -> None:
    files = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(6)]
    with pytest.raises(DomainError) as err:
        uploads.clean_uploads(files)
    assert err.value.code == "too_many"
