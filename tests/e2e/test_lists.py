"""Converted list pages at phone and desk widths, in Vietnamese, English and Arabic."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot, sign_in

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": 390, "desk": 1440}


@pytest.mark.parametrize("path", ["/people/households/", "/outreach/sessions/"])
def test_lists_render_rows_and_totals_at_every_width_and_language(
    server: str, browser: Any, path: str
) -> None:
    for device, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, is_mobile=device == "phone"
        )
        page = context.new_page()
        sign_in(page, server, "ward_officer")
        for lang in ("vi", "en", "ar"):
            set_language(page, server, lang)
            page.goto(server + path)
            assert page.locator("table.table tbody tr").count() >= 1
            assert page.locator("table.table tfoot").count() == 1
            assert (page.locator("html").get_attribute("dir") == "rtl") == (lang == "ar")
            name = path.strip("/").replace("/", "-")
            shot(page, f"list-{name}-{device}-{lang}")
        context.close()
