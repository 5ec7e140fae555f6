"""Screenshots of every foundation page in Vietnamese, English and Arabic, with real checks.

Screenshots land in ``var/screenshots/<page>-<lang>.png``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pyotp
import pytest

from tests.e2e.conftest import DEMO_PASSWORD, manage, set_language, shot

pytestmark = pytest.mark.e2e

LANGS = ["vi", "en", "ar"]

# What a few foundation strings must read in each language.
TEXT: dict[str, dict[str, str]] = {
    "landing": {
        "vi": "Chung tay giữ bình yên khu phố",
        "en": "Safe neighbourhoods, together",
        "ar": "أحياء آمنة، معًا",
    },
    "signin": {"vi": "Đăng nhập cán bộ", "en": "Staff sign-in", "ar": "دخول الموظفين"},
    "otp": {"vi": "Nhập mã xác thực", "en": "Enter your code", "ar": "أدخل رمزك"},
    "demo": {"vi": "Tài khoản demo", "en": "Demo accounts", "ar": "حسابات تجريبية"},
    "welcome": {"vi": "Xin chào", "en": "Welcome", "ar": "مرحبًا"},
    "units": {"vi": "Đơn vị hành chính", "en": "Administrative units", "ar": "الوحدات الإدارية"},
    "formed": {
        "vi": "Thành lập ngày 01/7/2025 trên cơ sở",
        "en": "Formed on 1 July 2025 from",
        "ar": "تأسست في 1 يوليو 2025 من",
    },
    "units_below": {"vi": "Đơn vị trực thuộc", "en": "Units below", "ar": "الوحدات التابعة"},
    "add": {
        "vi": "Thêm khu phố vào Phường Cửa Ông",
        "en": "Add a neighbourhood to Phường Cửa Ông",
        "ar": "إضافة حارة إلى Phường Cửa Ông",
    },
    "bad_json": {
        "vi": "Ranh giới không phải JSON hợp lệ",
        "en": "The boundary is not valid JSON",
        "ar": "الحدود ليست JSON صالحًا",
    },
    "audit": {"vi": "Nhật ký kiểm toán", "en": "Audit log", "ar": "سجل التدقيق"},
    "tokens": {"vi": "Mã truy cập API", "en": "API tokens", "ar": "رموز API"},
    "sign_out": {"vi": "Đăng xuất", "en": "Sign out", "ar": "تسجيل الخروج"},
    "footer": {
        "vi": "Toàn dân bảo vệ an ninh Tổ quốc",
        "en": "All people protect national security",
        "ar": "الشعب كله يحمي أمن الوطن",
    },
}
# The foundation's own menu entries, in menu order.
NAV: dict[str, list[str]] = {
    "vi": ["Trang chủ", "Đơn vị", "Nhật ký kiểm toán"],
    "en": ["Home", "Units", "Audit log"],
    "ar": ["الرئيسية", "الوحدات", "سجل التدقيق"],
}
# English shell labels that must not show through in the other languages.
ENGLISH_SHELL = ["Home", "Units", "Audit log", "Sign out", "Staff sign-in", "Demo data"]


def _open(page: Any, server: str, lang: str, path: str) -> Any:
    set_language(page, server, lang)
    response = page.goto(server + path)
    page.wait_for_load_state("networkidle")
    return response


def _check_shell(page: Any, lang: str) -> None:
    """Language and direction on <html>, the footer text, and no English chrome outside English."""
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    if lang == "ar":
        assert page.locator("html[dir=rtl]").count() == 1
    assert TEXT["footer"][lang] in page.locator("footer").inner_text()
    if lang != "en":
        chrome = " | ".join(
            t.strip()
            for t in page.locator(".topbar, .mainnav a, footer").all_text_contents()
            if t.strip()
        )
        for label in ENGLISH_SHELL:
            assert not re.search(rf"\b{re.escape(label)}\b", chrome), (label, chrome)


def _check_nav(page: Any, lang: str) -> None:
    # Text content, not rendered text: most entries sit in a menu section, closed.
    labels = [" ".join(t.split()) for t in page.locator(".mainnav a").all_text_contents()]
    # Each label is "<icon> <label>"; compare the label part.
    names = [label.split(" ", 1)[-1].strip() for label in labels]
    for expected in NAV[lang]:
        assert expected in names, (expected, names)
    if lang != "en":
        for english in NAV["en"]:
            assert english not in names, (english, names)


def _h1(page: Any) -> str:
    return str(page.locator("h1").first.inner_text())


def _unit_url(page: Any, server: str, lang: str, query: str, level: str) -> str:
    _open(page, server, lang, f"/units/?q={quote(query)}&level={level}&era=current")
    link = page.locator("#unit-table tbody a", has_text=query).first
    href = link.get_attribute("href")
    assert href and href.startswith("/units/"), href
    return str(href)


@pytest.mark.parametrize("lang", LANGS)
def test_public_landing(page: Any, server: str, lang: str) -> None:
    response = _open(page, server, lang, "/")
    assert response.status == 200
    _check_shell(page, lang)
    assert _h1(page) == TEXT["landing"][lang]
    assert page.locator(".mainnav").count() == 0  # no staff menu for the public
    assert TEXT["signin"][lang] in page.locator(".hero .actions").inner_text()
    shot(page, f"landing-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_page_with_the_demo_accounts(page: Any, server: str, lang: str) -> None:
    response = _open(page, server, lang, "/accounts/login/")
    assert response.status == 200
    _check_shell(page, lang)
    assert _h1(page) == TEXT["signin"][lang]
    box = page.locator("#demo-accounts")
    assert box.is_visible()
    assert TEXT["demo"][lang] in box.inner_text()
    assert DEMO_PASSWORD in box.inner_text()
    officer_row = box.locator("tr", has_text="ward_officer").first
    assert re.fullmatch(r"\d{6}", officer_row.locator("code.totp").inner_text())
    resident_row = box.locator("tr", has=page.locator("code", has_text="resident")).first
    assert resident_row.locator("code.totp").count() == 0
    shot(page, f"login-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_totp_step(page: Any, server: str, lang: str) -> None:
    set_language(page, server, lang)
    page.goto(server + "/accounts/login/")
    page.fill("input[name=username]", "mentor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/otp/" in page.url
    _check_shell(page, lang)
    assert _h1(page) == TEXT["otp"][lang]
    assert page.locator(".mainnav").count() == 0  # no staff menu before the code is given
    code = page.locator("input[name=code]")
    assert code.get_attribute("inputmode") == "numeric"
    assert code.get_attribute("autocomplete") == "one-time-code"
    shot(page, f"otp-{lang}")


NEW_OFFICER = """
from safeward.accounts.models import Role
from safeward.accounts.services import role_assign, user_create
from safeward.geo.models import AdminUnit
user = user_create(None, username="{name}", password="{password}")
ward = AdminUnit.objects.get(code__startswith="25-", short_name="Cửa Ông")
role_assign(None, user=user, role=Role.objects.get(code="ward_police"), unit=ward, check_actor=False)
"""


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_officer_enrols_in_two_factor_sign_in(browser: Any, server: str, lang: str) -> None:
    name = f"new_officer_{lang}"
    manage("shell", "-c", NEW_OFFICER.format(name=name, password=DEMO_PASSWORD))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    set_language(page, server, lang)
    page.goto(server + "/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/enrol/.*"))
    _check_shell(page, lang)
    assert page.locator(".qr svg").count() == 1
    secret = page.locator(".secret").inner_text().strip()
    shot(page, f"enrol-{lang}")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/home/$"))
    assert page.locator(".mainnav").count() == 1
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_staff_home(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    response = _open(page, server, lang, "/home/")
    assert response.status == 200
    _check_shell(page, lang)
    _check_nav(page, lang)
    assert _h1(page).startswith(TEXT["welcome"][lang])
    assert TEXT["sign_out"][lang] in page.locator(".topbar").inner_text()
    role = {"vi": "Quản trị viên cấp tỉnh", "en": "Province administrator", "ar": "مسؤول إدارة"}
    assert role[lang] in page.locator("section.cards").inner_text()
    shot(page, f"home-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_unit_list(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    response = _open(page, server, lang, "/units/")
    assert response.status == 200
    _check_shell(page, lang)
    _check_nav(page, lang)
    assert _h1(page) == TEXT["units"][lang]
    assert page.locator(".mainnav a[aria-current=page]").count() == 1
    assert page.locator("#unit-table tbody tr").count() > 10
    assert "Quảng Ninh" in page.locator("#unit-table").inner_text()
    shot(page, f"units-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_province_detail(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    url = _unit_url(page, server, lang, "Quảng Ninh", "province")
    _open(page, server, lang, url)
    _check_shell(page, lang)
    assert "Quảng Ninh" in _h1(page)
    assert TEXT["units_below"][lang] in page.locator("main").inner_text()
    assert page.locator("table.table tbody tr").count() > 10
    shot(page, f"unit-province-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_cua_ong_detail_lists_what_it_was_formed_from(
    signed_in: Any, server: str, lang: str
) -> None:
    page = signed_in("province_admin")
    url = _unit_url(page, server, lang, "Cửa Ông", "ward")
    _open(page, server, lang, url)
    _check_shell(page, lang)
    assert "Cửa Ông" in _h1(page)
    history = page.locator("section.card", has=page.locator("h3")).first
    assert TEXT["formed"][lang] in history.inner_text()
    predecessors = history.locator("ul.plain li").all_inner_texts()
    assert any("Cẩm Thịnh" in p for p in predecessors), predecessors
    # A unit still in force is valid "from 01/07/2025 to now", not "just now".
    still_valid = {"vi": "01/07/2025 – nay", "en": "01/07/2025 – now", "ar": "01/07/2025 – الآن"}
    assert still_valid[lang] in page.locator("dl.facts").inner_text()
    crumbs = page.locator("nav.crumbs").inner_text()
    assert "Quảng Ninh" in crumbs
    shot(page, f"unit-cua-ong-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_add_neighbourhood_shows_validation_errors(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    url = _unit_url(page, server, lang, "Cửa Ông", "ward")
    _open(page, server, lang, url + "add/")
    assert _h1(page) == TEXT["add"][lang]
    page.fill("input[name=code]", "E2E-KP-INVALID")
    page.fill("textarea[name=boundary]", '{"type": "Polygon",')
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    _check_shell(page, lang)
    errors = page.locator(".field.has-error")
    assert errors.count() == 2  # the missing name and the broken boundary
    assert TEXT["bad_json"][lang] in page.locator(".field.has-error .error").all_inner_texts()[-1]
    if lang != "en":
        assert "This field is required" not in page.locator("main").inner_text()
    shot(page, f"unit-add-error-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_audit_log(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    response = _open(page, server, lang, "/audit/")
    assert response.status == 200
    _check_shell(page, lang)
    _check_nav(page, lang)
    assert _h1(page) == TEXT["audit"][lang]
    assert page.locator("table.table tbody tr").count() >= 1
    shot(page, f"audit-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_api_tokens(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    response = _open(page, server, lang, "/accounts/tokens/")
    assert response.status == 200
    _check_shell(page, lang)
    assert _h1(page) == TEXT["tokens"][lang]
    assert page.locator("input[name=name]").is_visible()
    shot(page, f"tokens-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_api_docs(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("province_admin")
    response = _open(page, server, lang, "/api/docs/")
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "SafeWard API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    assert page.locator(".opblock-tag").count() >= 1
    shot(page, f"api-docs-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_phone_landing(phone: Any, server: str, lang: str) -> None:
    response = _open(phone, server, lang, "/")
    assert response.status == 200
    _check_shell(phone, lang)
    assert _h1(phone) == TEXT["landing"][lang]
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 412, f"the page scrolls sideways ({width}px)"
    shot(phone, f"landing-phone-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_phone_unit_detail(signed_in: Any, server: str, lang: str) -> None:
    page = signed_in("ward_officer", phone=True)
    url = _unit_url(page, server, lang, "Cửa Ông", "ward")
    _open(page, server, lang, url)
    _check_shell(page, lang)
    _check_nav(page, lang)
    assert "Cửa Ông" in _h1(page)
    assert any("Cẩm Thịnh" in t for t in page.locator("ul.plain li").all_inner_texts())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 412, f"the page scrolls sideways ({width}px)"
    shot(page, f"unit-cua-ong-phone-{lang}")
