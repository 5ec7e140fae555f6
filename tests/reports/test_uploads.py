"""Attachments are judged by content, never by name or declared type."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeward.core.errors import DomainError
from safeward.reports import uploads


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


def test_mp4_is_recognised_by_its_header_whatever_its_name(tagged_mp4: bytes) -> None:
    video = SimpleUploadedFile("clip.txt", tagged_mp4, "text/plain")
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


def ffprobe_tags(data: bytes, tmp_path: Any) -> dict[str, str]:
    path = tmp_path / "probe.mp4"
    path.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    probed = json.loads(out)
    tags = dict(probed["format"].get("tags", {}))
    for stream in probed["streams"]:
        tags.update(stream.get("tags", {}))
    return tags


@pytest.fixture
def tagged_mp4(tmp_path: Any) -> bytes:
    """A real one-second MP4 carrying a location, a device and a creation time."""
    path = tmp_path / "phone.mp4"
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1",
            "-c:v", "mpeg4", "-movflags", "+use_metadata_tags",
            "-metadata", "location=+21.0167+107.3352/",
            "-metadata", "com.apple.quicktime.make=PhoneMaker",
            "-metadata", "creation_time=2026-11-01T08:00:00Z",
            path,
        ],
        check=True,
    )  # fmt: skip
    data = path.read_bytes()
    tags = ffprobe_tags(data, tmp_path)
    assert tags.get("location") == "+21.0167+107.3352/"
    assert "creation_time" in tags
    return data


def test_video_is_stored_without_location_device_or_creation_time(
    tagged_mp4: bytes, tmp_path: Any
) -> None:
    clean = uploads.clean_upload(SimpleUploadedFile("clip.mp4", tagged_mp4, "video/mp4"))
    stored = clean.content.read()
    tags = ffprobe_tags(stored, tmp_path)
    assert "location" not in tags and "creation_time" not in tags
    assert not any("PhoneMaker" in value for value in tags.values())
    assert clean.content_type == "video/mp4"
    assert clean.sha256 == hashlib.sha256(stored).hexdigest()
    assert stored != tagged_mp4 and b"+21.0167+107.3352" not in stored


@pytest.mark.django_db
def test_video_uploaded_through_the_form_keeps_no_location(
    tagged_mp4: bytes, tmp_path: Any, client: Any, demo_units: dict[str, Any], settings: Any
) -> None:
    from safeward.reports.models import ReportAttachment

    unit = demo_units["cam_thinh_khu1_2025"]
    response = client.post(
        "/reports/submit/",
        {
            "category": "theft",
            "description": "Quay được cảnh bẻ khóa xe",
            "latitude": unit.centroid_lat,
            "longitude": unit.centroid_lon,
            "anonymous": "on",
            "attachments": [SimpleUploadedFile("phone.mp4", tagged_mp4, "video/mp4")],
        },
    )
    assert response.status_code == 302
    attachment = ReportAttachment.objects.get()
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert "location" not in ffprobe_tags(data, tmp_path)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_file_that_only_looks_like_a_video_is_refused_with_a_clear_message() -> None:
    fake = SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    with pytest.raises(DomainError) as err:
        uploads.clean_upload(fake)
    assert err.value.code == "bad_video" and "clip.mp4" in err.value.message
