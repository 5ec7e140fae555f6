"""The camera and report lists on phone (390 px) and desk (1440 px) in Vietnamese, English and
Arabic: rows, the list tools and the totals show, and nothing spills past the screen's edge.

Screenshots land in ``var/screenshots/list-<page>-<lang>-<width>.png``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot, sign_in

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": 390, "desk": 1440}
LISTS = {"cameras": "/cameras/", "reports": "/reports/"}


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
@pytest.mark.parametrize("size", ["phone", "desk"])
def test_lists_read_well_on_phone_and_desk(browser: Any, server: str, lang: str, size: str) -> None:
    width = WIDTHS[size]
    phone = size == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=phone,
        has_touch=phone,
        locale="vi-VN",
    )
    page = context.new_page()
    try:
        sign_in(page, server, "ward_officer")
        set_language(page, server, lang)
        for name, path in LISTS.items():
            page.goto(server + path)
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
            assert page.locator("main table tbody tr").count() >= 1
            assert page.locator(".listtools").count() == 1
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (name, lang, size, overflow)
            shot(page, f"list-{name}-{lang}-{width}", full_page=False)
    finally:
        context.close()
