"""Leadership opens the province dashboard, drills down to Cẩm Thịnh, in three languages (screenshots)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_province_dashboard_in_each_language(server: str, signed_in: Any, lang: str) -> None:
    page = signed_in("province_admin")
    set_language(page, server, lang)
    page.goto(server + "/analytics/")
    assert page.locator(".kpi").count() >= 1
    assert page.locator("#chart-year").count() == 1
    assert page.locator("#children-table tbody tr").count() > 10
    page.wait_for_timeout(500)
    shot(page, f"analytics-dashboard-{lang}")
    set_language(page, server, "vi")


def test_drill_down_from_province_to_neighbourhoods(server: str, signed_in: Any) -> None:
    page = signed_in("province_admin")
    page.goto(server + "/analytics/?mode=as_was&year=2024")
    page.click("#children-table a:has-text('Cẩm Phả')")
    page.click("#children-table a:has-text('Cẩm Thịnh')")
    assert page.locator("#children-table tbody tr").count() == 11
    page.wait_for_timeout(300)
    shot(page, "analytics-cam-thinh-neighbourhoods")
