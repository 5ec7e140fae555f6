"""Bulletins in the browser, on the real server with its worker: a ward officer writes one
to a group and a restricted cohort, a second officer approves it on a phone, the deliveries
are counted on its page; a resident reads and answers on a phone. Screenshots in Vietnamese,
English and Arabic."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e

HEADLINE = "Cảnh giác thủ đoạn lôi kéo thanh thiếu niên (kiểm thử)"


def _select_by_text(page: Any, selector: str, text: str) -> None:
    option = page.locator(f"{selector} option", has_text=text).first
    page.select_option(selector, option.get_attribute("value"))


def test_write_approve_send_and_count(server: str, signed_in: Any) -> None:
    officer = signed_in("ward_officer")
    officer.goto(server + "/bulletins/staff/new/")
    _select_by_text(officer, "select[name=unit]", "Phường Cửa Ông")
    officer.select_option("select[name=category]", "Security")
    officer.fill("input[name=event]", "Tình hình ma túy")
    officer.select_option("select[name=urgency]", "Expected")
    officer.select_option("select[name=severity]", "Moderate")
    officer.select_option("select[name=certainty]", "Likely")
    officer.fill("input[name=headline_vi]", HEADLINE)
    officer.fill(
        "textarea[name=description_vi]",
        "Đối tượng dùng mạng xã hội rủ rê học sinh thử “thuốc lắc”.",
    )
    officer.fill("textarea[name=instruction_vi]", "Báo ngay cho Công an phường.")
    group = officer.locator("select[name=groups] option").first
    officer.select_option("select[name=groups]", [group.get_attribute("value")])
    cohort = officer.locator("input[name=cohorts]").first
    cohort.check()
    shot(officer, "bulletins-write-vi")
    officer.click("form.form button.primary")
    officer.wait_for_url(re.compile(r".*/bulletins/staff/\d+/$"))
    url = officer.url
    officer.click("#submit")
    officer.locator("#bulletin-status[data-status=awaiting]").wait_for()
    assert officer.locator("#approve").count() == 0  # never the author's own approval
    shot(officer, "bulletins-awaiting-vi")

    approver = signed_in("city_officer", phone=True)
    approver.goto(url)
    shot(approver, "bulletins-approve-phone-vi")
    approver.click("#approve")
    approver.locator("#confirm-action button.primary").click()
    approver.locator("#bulletin-status[data-status=approved]").wait_for()

    officer.goto(url)
    officer.click("#send")
    officer.locator("#confirm-action button.primary").click()
    officer.locator("#bulletin-status[data-status=sent]").wait_for()
    # The worker of the real server creates and sends the deliveries.
    for _ in range(60):
        officer.goto(url)
        if officer.locator("#deliveries table tbody tr").count():
            break
        time.sleep(1)
    rows = officer.locator("#deliveries table tbody tr")
    assert rows.count() >= 1, officer.locator("#deliveries").inner_text()
    shot(officer, "bulletins-sent-vi")
    for lang in ("en", "ar"):
        set_language(officer, server, lang)
        officer.goto(url)
        assert officer.locator("#deliveries table tbody tr").count() >= 1
        shot(officer, f"bulletins-sent-{lang}")
    set_language(officer, server, "vi")


def test_the_list_in_three_languages(server: str, signed_in: Any) -> None:
    officer = signed_in("ward_officer")
    for lang, title in (("vi", "Bản tin"), ("en", "Bulletins"), ("ar", "النشرات")):
        set_language(officer, server, lang)
        officer.goto(server + "/bulletins/staff/")
        assert officer.locator("h1").inner_text() == title
        assert officer.locator("table.table tbody tr").count() >= 2
        if lang == "ar":
            assert officer.locator("html").get_attribute("dir") == "rtl"
        shot(officer, f"bulletins-list-{lang}")
    set_language(officer, server, "vi")


def test_a_resident_reads_and_answers_on_a_phone(server: str, signed_in: Any) -> None:
    resident = signed_in("resident", phone=True)
    for lang, seen in (("ar", "اطّلعت"), ("en", "Seen"), ("vi", "Đã xem")):
        set_language(resident, server, lang)
        resident.goto(server + "/bulletins/inbox/")
        first = resident.locator("article.card").first
        assert first.locator("button[value=seen]").inner_text() == seen
        shot(resident, f"bulletins-inbox-phone-{lang}")
    first = resident.locator("article.card").first
    first.locator("button[value=seen]").click()
    resident.wait_for_url(re.compile(r".*/bulletins/inbox/$"))
    assert "Đã xem" in resident.locator("article.card").first.inner_text()
