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
    shot(front, "cameras-request-approved")

    # The requesting officer, not the approver, passes the one-time link on.
    officer.goto(request_url)
    officer.locator("a[href$='/link/']").first.click()
    link = officer.locator("input.upload-link").first.input_value()
    link = server + link[link.index("/evidence/upload/") :]  # the link as sent, on this server

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


def _first_request_with(officer: Any, server: str, selector: str) -> str:
    """The URL of the first demo footage request whose page has ``selector``."""
    officer.goto(server + "/evidence/requests/")
    urls = [
        a.get_attribute("href")
        for a in officer.locator("main table a[href*='/evidence/requests/']").all()
    ]
    for url in urls:
        officer.goto(server + url)
        if officer.locator(selector).count():
            return str(officer.url)
    raise AssertionError(f"no demo request has {selector}")


def test_officer_keeps_a_clip_on_legal_hold_in_place(server: str, signed_in: Any) -> None:
    officer = signed_in("ward_officer")
    _first_request_with(officer, server, "#items a")
    officer.locator("#items a").first.click()
    officer.wait_for_url("**/evidence/items/*/")
    events = officer.locator("#custody tbody tr").count()
    officer.evaluate("window.__samePage = true")
    officer.select_option("#retention-form select[name=retention]", "legal_hold")
    officer.fill("#retention-form input[name=reason]", "Viện kiểm sát đề nghị giữ nguyên")
    officer.click("#retention-form button[type=submit]")
    officer.wait_for_selector("#retention[data-retention=legal_hold]")
    assert officer.locator("#custody tbody tr").count() == events + 1
    assert officer.evaluate("window.__samePage") is True
    shot(officer, "cameras-evidence-retention")


def test_officer_uploads_an_on_site_extraction_then_closes_the_request(
    server: str, signed_in: Any
) -> None:
    officer = signed_in("ward_officer")
    _first_request_with(officer, server, "#officer-upload")
    received = officer.locator("#items a").count()
    officer.evaluate("window.__samePage = true")
    start = (dt.datetime.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    end = (dt.datetime.now() - dt.timedelta(days=1) + dt.timedelta(minutes=5)).strftime(
        "%Y-%m-%d %H:%M"
    )
    form = officer.locator("#officer-upload")
    form.locator("input[name=file]").set_input_files(
        {"name": "trich-xuat.mp4", "mimeType": "video/mp4", "buffer": b"\x00\x00\x00\x18" * 500}
    )
    form.locator("input[name=recorded_start]").fill(start)
    form.locator("input[name=recorded_end]").fill(end)
    form.locator("button[type=submit]").click()
    officer.wait_for_selector("#minutes_reference_error, .has-error", timeout=10_000)
    assert officer.locator("#items a").count() == received
    form = officer.locator("#officer-upload")
    form.locator("input[name=file]").set_input_files(
        {"name": "trich-xuat.mp4", "mimeType": "video/mp4", "buffer": b"\x00\x00\x00\x18" * 500}
    )
    form.locator("input[name=minutes_reference]").fill("BB-15/2026")
    # The on-site copy covers yesterday, outside the request's window: the officer says why.
    form.locator("[name=reason_outside_window]").fill("Chủ camera chỉ giữ được đoạn hôm qua")
    form.locator("button[type=submit]").click()
    officer.wait_for_function(f"document.querySelectorAll('#items a').length === {received + 1}")
    assert officer.evaluate("window.__samePage") is True
    shot(officer, "cameras-officer-upload")
    officer.once("dialog", lambda dialog: dialog.accept())
    officer.click("#close-form button")
    officer.wait_for_selector("#request-status[data-status=closed]")
    assert officer.locator("#officer-upload").count() == 0


def test_front_member_voids_a_wrong_contribution(server: str, signed_in: Any) -> None:
    front = signed_in("front_member")
    front.goto(server + "/cameras/campaigns/")
    front.locator("main table a[href*='/cameras/campaigns/']").first.click()
    front.wait_for_url("**/cameras/campaigns/*/")
    raised = front.locator("#raised").inner_text()
    rows = front.locator("#contributions tbody tr").count()
    form = front.locator("#contribution-form")
    form.locator("input[name=donor_name]").fill("Hộ ông Lâm")
    form.locator("input[name=amount_vnd]").fill("50000000")
    form.locator("input[name=date]").fill("2024-06-01")
    form.locator("button[type=submit]").click()
    front.wait_for_function(
        f"document.querySelectorAll('#contributions tbody tr').length === {rows + 1}"
    )
    assert front.locator("#raised").inner_text() != raised
    wrong = front.locator("#contributions tbody tr", has_text="Hộ ông Lâm").first
    wrong.locator("summary").click()
    wrong.locator("input[name=reason]").fill("Nhập thừa một số 0")
    wrong.locator("button[type=submit]").click()
    front.wait_for_selector("#contributions tr.voided")
    assert front.locator("#raised").inner_text() == raised
    assert front.locator("#contributions tr.voided del").count() >= 1
    shot(front, "cameras-ledger-voided")
