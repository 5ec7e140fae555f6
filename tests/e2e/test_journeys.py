"""Each persona's day, walked through in Chromium in Vietnamese, English and Arabic.

A resident reports anonymously on a phone and follows the report; a ward officer works
a report at a desk screen up to the confirmation of its outcome and asks cameras for
footage; a Front member and a group leader find their work on phones through the menu
drawer; the province's administrator reads the figures. Every page on the way is checked
the same way (language and direction, nothing wider than the screen, no message left
untranslated or unfilled, a heading) and photographed as ``journey-<persona>-<step>-<lang>``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e
LANGS = ["vi", "en", "ar"]
PERSONAS = ["province_admin", "city_officer", "ward_officer", "front_member", "group_leader"]
# A role named in an audit row's changes is still shown by its code (a related row's key).
PERSONAS += ["ward_police", "city_officer", "province_admin", "front_member", "group_leader"]
CUA_ONG = {"latitude": 21.0164, "longitude": 107.335}
# A format string left unfilled, or a message id shown instead of its text.
UNFILLED = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)s|\b[a-z]+_[a-z_]+\b")
WORDS: dict[str, dict[str, str]] = {
    "confirm": {"vi": "Xác nhận", "en": "Confirm", "ar": "تأكيد"},
    "code_and_secret": {"vi": "Mã theo dõi", "en": "Tracking code", "ar": "رمز المتابعة"},
}


def look(page: Any, lang: str, name: str) -> str:
    """Check the page as a reader meets it, photograph it, and give its main text."""
    page.wait_for_load_state("networkidle")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang, name
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"), name
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert page.locator("main h1").first.inner_text().strip(), name
    text = str(page.locator("main").inner_text())
    # Identifiers (codes set in <code>, tracking codes, addresses, the demo's user names)
    # and the options of a list of people (a user without a name is listed by user name)
    # are not words to translate.
    prose = str(
        page.locator("main").evaluate(
            "m => { const c = m.cloneNode(true);"
            " c.querySelectorAll('code, select').forEach(e => e.remove());"
            " return c.textContent; }"
        )
    )
    prose = re.sub(r"\S+@\S+|SW-[\w-]+|https?://\S+|" + "|".join(PERSONAS), " ", prose)
    leftover = UNFILLED.findall(prose)
    assert not leftover, (name, leftover)
    shot(page, name)
    return text


def open_page(page: Any, server: str, lang: str, path: str) -> None:
    set_language(page, server, lang)
    response = page.goto(server + path)
    assert response.status == 200, (path, response.status)


@pytest.mark.parametrize("lang", LANGS)
def test_resident_reports_anonymously_on_a_phone(phone: Any, server: str, lang: str) -> None:
    phone.context.grant_permissions(["geolocation"], origin=server)
    phone.context.set_geolocation(CUA_ONG)
    open_page(phone, server, lang, "/reports/submit/")
    look(phone, lang, f"journey-resident-1-form-{lang}")
    # Sent with nothing filled in: the form stays, says what is missing, keeps what was typed.
    phone.click("#report-form button[type=submit].primary")
    phone.wait_for_selector("#report-form .error")
    assert phone.locator("#report-form .has-error").count() >= 1
    look(phone, lang, f"journey-resident-2-refused-{lang}")
    phone.select_option("#id_category", "theft")
    phone.fill("#id_description", "Xe máy bị bẻ khóa trước chợ Cửa Ông lúc 21 giờ")
    phone.click("#use-location")
    phone.wait_for_function("document.getElementById('id_latitude').value !== ''")
    phone.click("#report-form button[type=submit].primary")
    phone.wait_for_selector("#tracking-secret")
    text = look(phone, lang, f"journey-resident-3-code-{lang}")
    assert WORDS["code_and_secret"][lang] in text
    code = phone.inner_text("#tracking-code")
    secret = phone.inner_text("#tracking-secret")
    assert code.startswith("SW-") and len(secret) >= 8
    open_page(phone, server, lang, "/reports/track/")
    phone.fill("#id_code", code)
    phone.fill("#id_secret", secret)
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("#messages")
    assert code in look(phone, lang, f"journey-resident-4-tracking-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_ward_officer_works_a_report_at_the_desk(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("ward_officer")
    open_page(page, server, lang, "/home/")
    look(page, lang, f"journey-officer-1-home-{lang}")
    open_page(page, server, lang, "/reports/?status=assigned")
    look(page, lang, f"journey-officer-2-list-{lang}")
    rows = page.locator("table tbody tr a[href^='/reports/']")
    assert rows.count() >= 1
    rows.first.click()
    page.wait_for_selector("#resolve-form")
    report_path = urlpath(page.url)
    look(page, lang, f"journey-officer-3-report-{lang}")
    # The outcome starts empty, and the form cannot be sent without one (the browser holds
    # it back; the server's own refusal, in the reader's language, is tested in the suite).
    outcome = page.locator("#resolve-form select[name=outcome]")
    assert outcome.input_value() == ""
    page.click("#resolve-form button[type=submit]")
    assert outcome.evaluate("e => e.validity.valueMissing")
    assert page.locator("#confirm-action").count() == 0
    page.select_option("#resolve-form select[name=outcome]", index=1)
    page.click("#resolve-form button[type=submit]")
    page.wait_for_selector("#confirm-action")
    assert WORDS["confirm"][lang] in page.inner_text("#confirm-action")
    look(page, lang, f"journey-officer-4-confirm-resolve-{lang}")
    # Cancelled: nothing was recorded, the report is still open.
    page.click("#confirm-action a.button")
    page.wait_for_selector("#resolve-form")
    assert page.get_attribute("#staff-status", "data-status") == "assigned"
    report_pk = report_path.rstrip("/").rsplit("/", 1)[-1]
    open_page(page, server, lang, f"/evidence/requests/new/{report_pk}/")
    look(page, lang, f"journey-officer-5-ask-cameras-{lang}")
    assert page.locator("form button[type=submit]").count() >= 1  # the form never dead-ends


def urlpath(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]


@pytest.mark.parametrize("lang", LANGS)
def test_front_member_finds_the_outreach_work_through_the_phone_menu(
    signed_in: Any, server: str, lang: str
) -> None:
    page = signed_in("front_member", phone=True)
    open_page(page, server, lang, "/home/")
    look(page, lang, f"journey-front-1-home-{lang}")
    toggle = page.locator("button.navtoggle")
    assert toggle.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    shot(page, f"journey-front-2-menu-{lang}", full_page=False)
    # Outreach is a section of the menu: it opens, and its sessions entry leads there.
    page.locator("#navlist details:has(a[href^='/outreach/sessions/']) summary").click()
    shot(page, f"journey-front-2-menu-outreach-{lang}", full_page=False)
    page.locator("#navlist a[href^='/outreach/sessions/']").first.click()
    page.wait_for_load_state()
    look(page, lang, f"journey-front-3-sessions-{lang}")
    hrefs = page.locator("main a[href^='/outreach/sessions/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    detail = [h for h in hrefs if re.fullmatch(r"/outreach/sessions/\d+/", h or "")]
    assert detail, "no session on the Front member's list"
    open_page(page, server, lang, detail[0])
    look(page, lang, f"journey-front-4-session-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_group_leader_opens_the_group_and_its_roster_on_a_phone(
    signed_in: Any, server: str, lang: str
) -> None:
    page = signed_in("group_leader", phone=True)
    open_page(page, server, lang, "/community/groups/")
    look(page, lang, f"journey-leader-1-groups-{lang}")
    page.click("text=Tổ tự quản an ninh trật tự Khu 1")
    page.wait_for_url(re.compile(r".*/community/groups/\d+/$"))
    look(page, lang, f"journey-leader-2-group-{lang}")
    page.click("a[href$='/roster/']")
    page.wait_for_selector("table.roster")
    assert page.locator("table.roster tbody tr").count() >= 7
    look(page, lang, f"journey-leader-3-roster-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_province_admin_reads_the_figures(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    open_page(page, server, lang, "/analytics/")
    page.wait_for_selector("canvas")
    look(page, lang, f"journey-admin-1-dashboard-{lang}")
    open_page(page, server, lang, "/units/?level=ward&era=current")
    assert page.locator("#unit-table tbody tr").count() >= 10
    look(page, lang, f"journey-admin-2-units-{lang}")
    open_page(page, server, lang, "/audit/")
    assert page.locator("table tbody tr").count() >= 1
    look(page, lang, f"journey-admin-3-audit-{lang}")
