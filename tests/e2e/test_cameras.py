"""A report -> candidate cameras -> request -> approval -> custodian upload -> officer views
the clip with its chain of custody (with screenshots)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeward.evidence.demo import AWAITING
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_footage_request_from_report_to_clip(server: str, signed_in: Any, browser: Any) -> None:
    officer = signed_in("ward_officer")
    officer.goto(server + "/evidence/requests/")
    row = officer.locator("#recent-reports tr", has_text=AWAITING).first
    row.locator("a").click()
    officer.wait_for_url("**/evidence/requests/new/*/")
    assert officer.locator("#candidates tbody tr").count() >= 1
    shot(officer, "cameras-candidates")
    officer.fill("textarea[name=purpose]", "Xác minh tin báo mất trộm xe máy")
    officer.locator("input[name=cameras]").first.check()
    officer.click("main form button.primary")
    officer.wait_for_url("**/evidence/requests/*/")
    request_url = officer.url

    front = signed_in("front_member")
    front.goto(request_url)
    front.click("#approve")
    front.wait_for_load_state()
    link = front.locator("a.upload-link").first.get_attribute("href")
    shot(front, "cameras-request-approved")

    custodian = browser.new_context(locale="vi-VN").new_page()
    custodian.goto(link)
    start = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    end = (dt.datetime.now() - dt.timedelta(hours=1, minutes=50)).strftime("%Y-%m-%d %H:%M")
    custodian.set_input_files(
        "input[name=file]",
        {
            "name": "camera.mp4",
            "mimeType": "video/mp4",
            "buffer": b"\x00\x00\x00\x18ftypmp42" * 300,
        },
    )
    custodian.fill("input[name=recorded_start]", start)
    custodian.fill("input[name=recorded_end]", end)
    shot(custodian, "cameras-custodian-upload")
    custodian.click("#send-clip")
    custodian.wait_for_selector("#done")
    custodian.context.close()

    officer.goto(request_url)
    officer.locator("a[href*='/evidence/items/']").first.click()
    officer.wait_for_url("**/evidence/items/*/")
    assert officer.locator("#custody tbody tr").count() >= 2
    shot(officer, "cameras-evidence-custody")
