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


def test_headline_figures_fit_their_cards_on_phone_and_desk(server: str, signed_in: Any) -> None:
    """Every card's figure stays on one line inside its card, at 390 and 1440 pixels wide and in
    every language; a large amount is shortened ("1,6 tỷ") with the full value in its title."""
    page = signed_in("province_admin")
    for lang in ("vi", "en", "ar"):
        set_language(page, server, lang)
        for width in (390, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(server + "/analytics/")
            figures = page.evaluate(
                """() => [...document.querySelectorAll('.kpi b')].map(b => {
                    const card = b.closest('.kpi').getBoundingClientRect();
                    const box = b.getBoundingClientRect();
                    const line = parseFloat(getComputedStyle(b).lineHeight);
                    return {text: b.textContent.trim(), title: b.querySelector('abbr')?.title || '',
                            fits: b.scrollWidth <= b.clientWidth + 1 && box.right <= card.right + 1
                                  && box.left >= card.left - 1,
                            lines: Math.round(box.height / line)};
                })"""
            )
            assert figures, (lang, width)
            bad = [f for f in figures if not f["fits"] or f["lines"] > 1]
            assert bad == [], (lang, width, bad)
            spilled = page.evaluate(
                """() => [...document.querySelectorAll('.kpi > *')].filter(e =>
                    e.getBoundingClientRect().right > e.closest('.kpi').getBoundingClientRect().right + 1
                    || e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"""
            )
            assert spilled == [], (lang, width, spilled)
            funds = page.locator(".kpi[data-indicator='cameras.funds_raised_to_date'] abbr")
            assert funds.count() == 1 and any(c.isdigit() for c in funds.get_attribute("title"))
            if width == 390:
                shot(page, f"analytics-cards-{lang}-phone", full_page=False)
    set_language(page, server, "vi")
