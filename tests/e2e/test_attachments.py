"""A resident sends a photo and a video; the ward officer sees their thumbnails on the report's
page and opens them in the viewer, in Vietnamese, English and Arabic, at a desk and on a phone."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.e2e.conftest import manage, set_language, shot

pytestmark = pytest.mark.e2e
CUA_ONG = {"latitude": 21.0164, "longitude": 107.335}
LOADED = "img => img.complete && img.naturalWidth > 0"


def shell(code: str) -> str:
    """The last line a snippet prints on the server's database (the shell may say more)."""
    return manage("shell", "-c", code).strip().splitlines()[-1]


def street_photo(path: Path) -> Path:
    """A 1600 x 1200 JPEG with something to see: a sky, a road and a motorbike-sized box."""
    image = Image.new("RGB", (1600, 1200), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 700, 1600, 1200), fill=(90, 90, 95))
    draw.rectangle((600, 520, 1000, 820), fill=(200, 40, 40))
    draw.ellipse((620, 760, 760, 900), fill=(20, 20, 20))
    draw.ellipse((840, 760, 980, 900), fill=(20, 20, 20))
    image.save(path, "JPEG", quality=90)
    return path


def clip(path: Path) -> Path:
    """A three-second WebM (VP8), a format every Chromium plays."""
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=640x360:rate=15:duration=3",
            "-c:v", "libvpx", "-b:v", "300k", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def report_pk(browser: Any, server: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    """A report sent through the resident form with a photo and a video attached."""
    tmp = tmp_path_factory.mktemp("attachments")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.grant_permissions(["geolocation"], origin=server)
    context.set_geolocation(CUA_ONG)
    page = context.new_page()
    page.goto(server + "/reports/submit/")
    page.select_option("#id_category", "theft")
    page.fill("#id_description", "Chụp được người lạ dắt xe máy khỏi ngõ 5")
    page.click("#use-location")
    page.wait_for_function("document.getElementById('id_latitude').value !== ''")
    page.set_input_files(
        "#id_attachments", [street_photo(tmp / "xe-may.jpg"), clip(tmp / "ngo-5.webm")]
    )
    page.click("button[type=submit].primary")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code")
    context.close()
    out = shell(
        "from safeward.reports.models import Report; "
        f"r = Report.objects.get(tracking_code='{code}'); "
        "print('PK=%s FILES=%s' % (r.pk, r.attachments.count()))",
    )
    pk, files = (part.split("=")[1] for part in out.split())
    assert files == "2"
    return int(pk)


def thumbnails_load(page: Any) -> None:
    page.wait_for_function(
        f"[...document.querySelectorAll('.thumb img')].every({LOADED})"
        " && document.querySelectorAll('.thumb img').length === 2"
    )


@pytest.mark.parametrize("on_phone", [False, True], ids=["desk", "phone"])
@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_officer_opens_the_photo_and_the_video_in_the_viewer(
    signed_in: Any, server: str, report_pk: int, lang: str, on_phone: bool
) -> None:
    officer = signed_in("ward_officer", phone=on_phone)
    set_language(officer, server, lang)
    officer.goto(server + f"/reports/{report_pk}/")
    thumbnails_load(officer)
    where = "phone" if on_phone else "desk"
    tiles = officer.locator(".thumb a")
    assert tiles.nth(0).get_attribute("data-kind") == "photo"
    assert tiles.nth(1).get_attribute("data-kind") == "video"
    assert "0:03" in officer.inner_text(".thumbs")
    assert (
        officer.evaluate("document.documentElement.scrollWidth") <= officer.viewport_size["width"]
    )
    officer.locator(".thumbs").scroll_into_view_if_needed()
    shot(officer, f"attachments-{lang}-{where}-1-thumbnails", full_page=False)

    tiles.nth(0).click()
    viewer = officer.locator("#attachment-viewer")
    assert viewer.evaluate("d => d.open")
    officer.wait_for_function(
        f"(() => {{ const i = document.querySelector('#attachment-viewer img'); "
        f"return i && ({LOADED})(i); }})()"
    )
    assert officer.evaluate("document.querySelector('#attachment-viewer img').naturalWidth") == (
        1600
    )
    shot(officer, f"attachments-{lang}-{where}-2-viewer-photo", full_page=False)

    # The next item is reached with the arrow that points forward in the page's direction.
    officer.keyboard.press("ArrowLeft" if lang == "ar" else "ArrowRight")
    officer.wait_for_function(
        "(() => { const v = document.querySelector('#attachment-viewer video');"
        " return v && v.readyState >= 1 && v.duration > 2; })()"
    )
    shot(officer, f"attachments-{lang}-{where}-3-viewer-video", full_page=False)

    officer.keyboard.press("Escape")
    # Closed, the player is gone (no sound goes on behind the page) and the focus is back.
    officer.wait_for_function(
        "!document.getElementById('attachment-viewer').open"
        " && !document.querySelector('#attachment-viewer video')"
    )
    assert officer.evaluate("document.activeElement.closest('.thumb') !== null")


AUDIT_COUNTS = (
    "from safeward.core.models import AuditEvent as A; "
    "print(A.objects.filter(action='reports.attachment_thumbnail_read').count(), "
    "A.objects.filter(action='reports.attachment_read').count())"
)


def audit_counts() -> tuple[int, int]:
    thumbnail_reads, file_reads = (int(n) for n in shell(AUDIT_COUNTS).split())
    return thumbnail_reads, file_reads


def test_a_page_view_audits_each_thumbnail_and_the_viewer_audits_the_photo(
    signed_in: Any, server: str, report_pk: int
) -> None:
    officer = signed_in("ward_officer")
    set_language(officer, server, "vi")
    before = audit_counts()
    officer.goto(server + f"/reports/{report_pk}/")
    thumbnails_load(officer)
    officer.locator(".thumb a").nth(0).click()
    officer.wait_for_function(
        f"(() => {{ const i = document.querySelector('#attachment-viewer img'); "
        f"return i && ({LOADED})(i); }})()"
    )
    after = audit_counts()
    assert after[0] - before[0] == 2  # one per thumbnail
    assert after[1] - before[1] == 1  # the photo opened in the viewer
    officer.keyboard.press("Escape")


def test_other_ward_officer_gets_404_for_the_thumbnail(
    signed_in: Any, server: str, report_pk: int
) -> None:
    other = signed_in("other_ward_officer")
    ids = shell(
        "from safeward.reports.models import ReportAttachment as A; "
        f"print(A.objects.filter(report_id={report_pk}).values_list('pk', flat=True).first())",
    ).strip()
    response = other.request.get(server + f"/reports/attachments/{ids}/thumbnail/")
    assert response.status == 404


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_refused_report_names_the_photo_to_choose_again(
    phone: Any, server: str, tmp_path: Path, lang: str
) -> None:
    set_language(phone, server, lang)
    phone.goto(server + "/reports/submit/")
    phone.select_option("#id_category", "theft")
    phone.set_input_files("#id_attachments", street_photo(tmp_path / "bien-so.jpg"))
    phone.click("button[type=submit].primary")
    phone.wait_for_selector(".errorbox")
    assert "bien-so.jpg" in phone.inner_text(".errorbox")
    field = phone.locator(".field", has=phone.locator("#id_attachments"))
    assert "bien-so.jpg" in field.inner_text()
    field.scroll_into_view_if_needed()
    shot(phone, f"attachments-{lang}-phone-4-refused-form", full_page=False)
