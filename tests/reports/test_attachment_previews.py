"""A report's photos and videos show as thumbnails to the officers of its unit: made once,
kept beside the original, served through the file's own scope check and audited; the
file itself answers byte ranges so a video can be sought."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safeward.core import thumbnails
from safeward.core.models import AuditEvent
from safeward.reports.models import ReportAttachment
from safeward.reports.services import Submission
from safeward.reports.uploads import clean_uploads

pytestmark = pytest.mark.django_db


def jpeg(size: tuple[int, int] = (1200, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def mp4(tmp_path: Path, seconds: int = 3) -> bytes:
    path = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=10:duration={seconds}",
            "-c:v", "mpeg4", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Stored names repeat from test to test; no test may see another's failed thumbnail."""
    cache.clear()


@pytest.fixture
def attach(submit: Callable[..., Submission]) -> Callable[..., ReportAttachment]:
    def make(data: bytes, name: str = "photo.jpg") -> ReportAttachment:
        upload = SimpleUploadedFile(name, data)
        return submit(uploads=clean_uploads([upload])).report.attachments.get()

    return make


@pytest.fixture
def photo(attach: Callable[..., ReportAttachment]) -> ReportAttachment:
    return attach(jpeg())


@pytest.fixture
def video(attach: Callable[..., ReportAttachment], tmp_path: Path) -> ReportAttachment:
    return attach(mp4(tmp_path), "clip.mp4")


def thumbnail_url(attachment: ReportAttachment) -> str:
    return reverse("reports:attachment_thumbnail", args=[attachment.pk])


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_photo_thumbnail_is_a_jpeg_of_320_pixels_on_its_long_side(
    client_for: Any, photo: ReportAttachment
) -> None:
    response = client_for("ward_officer").get(thumbnail_url(photo))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(body(response))) as image:
        assert image.format == "JPEG" and image.size == (320, 213)


def test_thumbnail_is_stored_under_a_derived_name_and_made_once(
    client_for: Any, photo: ReportAttachment, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for("ward_officer")
    first = body(client.get(thumbnail_url(photo)))
    derived = thumbnails.thumbnail_name(photo.file.name)
    assert derived.startswith("thumbnails/reports/") and photo.file.storage.exists(derived)

    def not_again(*args: Any) -> bytes:
        raise AssertionError("the thumbnail was made a second time")

    monkeypatch.setattr(thumbnails, "photo_thumbnail", not_again)
    assert body(client.get(thumbnail_url(photo))) == first


def test_video_thumbnail_is_a_frame_of_the_video(client_for: Any, video: ReportAttachment) -> None:
    response = client_for("ward_officer").get(thumbnail_url(video))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(body(response))) as image:
        assert image.size == (320, 180)
        assert len(image.getcolors(maxcolors=1 << 16) or []) > 10  # the pattern, not a blank


def test_video_without_a_frame_gets_the_plain_video_tile(
    client_for: Any, video: ReportAttachment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(thumbnails, "video_frame", lambda path, at: b"")
    response = client_for("ward_officer").get(thumbnail_url(video))
    assert response.status_code == 302 and "tile-video" in response["Location"]
    assert not AuditEvent.objects.filter(action="reports.attachment_thumbnail_read").exists()


@pytest.mark.parametrize("persona", ["other_ward_officer", "analyst", "front_member"])
def test_thumbnail_outside_the_readers_reach_is_404_and_unaudited(
    client_for: Any, photo: ReportAttachment, persona: str
) -> None:
    assert client_for(persona).get(thumbnail_url(photo)).status_code == 404
    assert not photo.file.storage.exists(thumbnails.thumbnail_name(photo.file.name))
    assert not AuditEvent.objects.filter(action__startswith="reports.attachment").exists()


def test_each_thumbnail_read_is_audited_under_its_own_action(
    client_for: Any, personas: dict[str, Any], photo: ReportAttachment
) -> None:
    client = client_for("ward_officer")
    client.get(thumbnail_url(photo))
    client.get(thumbnail_url(photo))
    events = AuditEvent.objects.filter(
        action="reports.attachment_thumbnail_read", object_id=str(photo.pk)
    )
    assert events.count() == 2
    assert all(e.sensitive_read and e.actor_id == personas["ward_officer"].pk for e in events)
    assert not AuditEvent.objects.filter(action="reports.attachment_read").exists()


def test_report_page_shows_thumbnails_that_open_the_file(
    client_for: Any, photo: ReportAttachment
) -> None:
    page = client_for("ward_officer").get(
        reverse("reports:detail", args=[photo.report_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    link = reverse("reports:attachment", args=[photo.pk])
    assert f'<a href="{link}" data-kind="photo"' in html
    assert f'<img src="{thumbnail_url(photo)}" alt="Photo 1"' in html
    assert '<dialog id="attachment-viewer"' in html and "web/viewer" in html


def test_report_page_captions_a_video_with_its_length(
    client_for: Any, video: ReportAttachment
) -> None:
    page = client_for("ward_officer").get(
        reverse("reports:detail", args=[video.report_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Video 1 · 0:03 · " in page.content.decode()


def test_clock_reads_like_a_player() -> None:
    from safeward.reports.attachments import clock

    assert [clock(7.4), clock(750), clock(3723)] == ["0:07", "12:30", "1:02:03"]


def test_file_answers_a_byte_range_for_seeking(client_for: Any, video: ReportAttachment) -> None:
    url = reverse("reports:attachment", args=[video.pk])
    response = client_for("ward_officer").get(url, HTTP_RANGE="bytes=100-199")
    with video.file.open("rb") as handle:
        stored = handle.read()
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(stored)}"
    assert response["Content-Length"] == "100" and response["Accept-Ranges"] == "bytes"
    assert body(response) == stored[100:200]


def test_open_and_suffix_ranges_reach_the_end_of_the_file(
    client_for: Any, video: ReportAttachment
) -> None:
    url = reverse("reports:attachment", args=[video.pk])
    client = client_for("ward_officer")
    with video.file.open("rb") as handle:
        stored = handle.read()
    assert body(client.get(url, HTTP_RANGE="bytes=10-")) == stored[10:]
    assert body(client.get(url, HTTP_RANGE="bytes=-50")) == stored[-50:]
    # Several ranges are not served piecewise: the whole file, as without a Range header.
    whole = client.get(url, HTTP_RANGE="bytes=0-1,5-9")
    assert whole.status_code == 200 and body(whole) == stored


def test_range_past_the_end_is_416_with_the_size(client_for: Any, video: ReportAttachment) -> None:
    url = reverse("reports:attachment", args=[video.pk])
    response = client_for("ward_officer").get(url, HTTP_RANGE=f"bytes={video.size + 10}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{video.size}"


def test_every_range_read_of_a_video_is_audited(client_for: Any, video: ReportAttachment) -> None:
    url = reverse("reports:attachment", args=[video.pk])
    client = client_for("ward_officer")
    client.get(url, HTTP_RANGE="bytes=0-")
    client.get(url, HTTP_RANGE="bytes=500-")
    assert AuditEvent.objects.filter(action="reports.attachment_read").count() == 2


def test_range_of_another_wards_video_is_404(client_for: Any, video: ReportAttachment) -> None:
    url = reverse("reports:attachment", args=[video.pk])
    response = client_for("other_ward_officer").get(url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 404


def test_refused_submit_names_the_files_to_choose_again(client: Any) -> None:
    response = client.post(
        "/reports/submit/",
        {
            "category": "theft",
            "description": "",
            "anonymous": "on",
            "attachments": [SimpleUploadedFile("xe-bi-mat.jpg", jpeg((40, 30)))],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["attachments"] == [
        "xe-bi-mat.jpg must be chosen again: a browser does not keep a chosen file when a "
        "form is sent back."
    ]
    assert form.non_field_errors() == [
        "The file xe-bi-mat.jpg was not kept: choose it again before sending."
    ]
    assert 'class="errorbox"' in response.content.decode()
    assert not ReportAttachment.objects.exists()


def test_refused_staff_entry_names_every_file_to_choose_again(client_for: Any) -> None:
    files = [SimpleUploadedFile(n, jpeg((40, 30))) for n in ("a.jpg", "b.jpg")]
    response = client_for("ward_officer").post(
        reverse("reports:new"),
        {"channel": "phone", "category": "theft", "description": "", "attachments": files},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The files a.jpg, b.jpg were not kept: choose them again before sending."
    ]
    assert "a.jpg, b.jpg must be chosen again" in response.content.decode()


def test_refused_submit_without_files_says_nothing_of_files(client: Any) -> None:
    response = client.post("/reports/submit/", {"category": "theft", "description": ""})
    assert response.status_code == 400
    assert "attachments" not in response.context["form"].errors
    assert not response.context["form"].non_field_errors()


def test_photo_gone_from_storage_shows_the_plain_tile_and_its_file_is_404(
    client_for: Any, photo: ReportAttachment
) -> None:
    photo.file.storage.delete(photo.file.name)
    client = client_for("ward_officer")
    response = client.get(thumbnail_url(photo))
    assert response.status_code == 302 and "tile-photo" in response["Location"]
    assert client.get(reverse("reports:attachment", args=[photo.pk])).status_code == 404
    page = client.get(reverse("reports:detail", args=[photo.report_id]))
    # The report still shows its tile (the plain one, from the thumbnail's answer).
    assert page.status_code == 200 and thumbnail_url(photo) in page.content.decode()
