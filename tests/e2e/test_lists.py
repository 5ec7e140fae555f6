"""Converted list pages at phone and desk widths, in Vietnamese, English and Arabic."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": 390, "desk": 1440}


@pytest.mark.parametrize("path", ["/people/households/", "/outreach/sessions/"])
def test_lists_render_rows_and_totals_at_every_width_and_language(
    server: str, signed_in: Any, path: str
) -> None:
    page = signed_in("ward_officer")
    name = path.strip("/").replace("/", "-")
    for device, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for lang in ("vi", "en", "ar"):
            set_language(page, server, lang)
            response = page.goto(server + path)
            shot(page, f"list-{name}-{device}-{lang}")
            assert response is not None and response.status == 200, page.url
            assert page.locator("table.table tbody tr").count() >= 1
            assert page.locator("table.table tfoot").count() == 1
            assert (page.locator("html").get_attribute("dir") == "rtl") == (lang == "ar")
