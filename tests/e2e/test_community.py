"""A group leader logs a patrol; a Front member records an outreach session (with screenshots)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_group_leader_logs_a_patrol(server: str, signed_in: Any) -> None:
    page = signed_in("group_leader")
    page.goto(server + "/community/groups/")
    page.click("text=Tổ tự quản an ninh trật tự Khu 1")
    page.wait_for_url(re.compile(r".*/community/groups/\d+/$"))
    shot(page, "community-group-detail")
    page.click("a[href$='/patrols/new/']")
    page.fill("input[name=date]", dt.date.today().isoformat())
    page.fill("input[name=start_time]", "20:30")
    page.fill("input[name=end_time]", "23:00")
    page.fill("input[name=area]", "Bờ kè Cửa Ông (kiểm thử)")
    page.locator("input[name=members_present]").first.check()
    page.fill("textarea[name=observed]", "Nhắc nhở hai thanh niên tụ tập khuya")
    shot(page, "community-patrol-form")
    page.click("form.form button.primary")
    page.wait_for_url(re.compile(r".*/community/groups/\d+/$"))
    assert page.locator("text=Bờ kè Cửa Ông (kiểm thử)").count() == 1
    shot(page, "community-patrol-logged")


def test_group_leader_prints_the_roster(server: str, signed_in: Any) -> None:
    page = signed_in("group_leader")
    page.goto(server + "/community/groups/")
    page.click("text=Tổ tự quản an ninh trật tự Khu 1")
    page.click("a[href$='/roster/']")
    assert page.locator("table.roster tbody tr").count() >= 7
    page.emulate_media(media="print")
    shot(page, "community-roster-print")


def test_front_member_records_a_session(server: str, signed_in: Any) -> None:
    page = signed_in("front_member")
    page.goto(server + "/outreach/sessions/new/")
    option = page.locator("select[name=unit] option", has_text="Phường Cửa Ông").first
    page.select_option("select[name=unit]", option.get_attribute("value"))
    page.fill("input[name=date]", dt.date.today().isoformat())
    page.fill("input[name=place]", "Nhà văn hóa Khu 5 (kiểm thử)")
    page.select_option("select[name=topic]", "drugs")
    page.select_option("select[name=form]", "in_person")
    page.check("input[name=organisers][value=police]")
    page.check("input[name=organisers][value=front]")
    page.select_option("select[name=status]", "held")
    page.fill("input[name=attendance]", "135")
    shot(page, "outreach-session-form")
    page.click("form.form button.primary")
    page.wait_for_url(re.compile(r".*/outreach/sessions/\d+/$"))
    assert page.locator("text=Nhà văn hóa Khu 5 (kiểm thử)").count() >= 1
    shot(page, "outreach-session-recorded")
    page.goto(server + "/outreach/calendar/")
    shot(page, "outreach-public-calendar")


def test_a_refused_htmx_form_shows_its_errors_in_place(server: str, signed_in: Any) -> None:
    """A 400 answer to an htmx form swaps in the form with its errors; success redirects."""
    page = signed_in("ward_officer")
    page.goto(server + "/community/drug-free/criteria/")
    form = page.locator("form.form")
    option = form.locator("select[name=unit] option", has_text="Phường Cửa Ông").first
    form.locator("select[name=unit]").select_option(option.get_attribute("value"))
    form.locator("input[name=code]").fill("no_hotspot")  # a built-in criterion's code
    form.locator("input[name=label]").fill("Không có người nghiện (kiểm thử)")
    page.evaluate("window.__marker = 'same page'")
    form.locator("button.primary").click()
    error = page.locator("form.form .error")
    error.first.wait_for()
    assert "no_hotspot" in page.locator("form.form").inner_text()
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, not reloaded
    shot(page, "community-criterion-refused")
    page.locator("form.form input[name=code]").fill("no_karaoke_test")
    page.locator("form.form button.primary").click()
    page.wait_for_function("window.__marker === undefined")
    assert page.locator("td", has_text="Không có người nghiện (kiểm thử)").count() == 1
