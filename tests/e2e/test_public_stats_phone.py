"""Public statistics on a phone: every figure keeps the words that say what it is."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e


def _first_unit(phone: Any, server: str) -> str:
    phone.goto(server + "/reports/statistics/")
    options = phone.locator("select[name=unit] option")
    return str(options.nth(1).get_attribute("value"))


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
def test_report_statistics_label_every_figure_on_a_phone(
    phone: Any, server: str, lang: str
) -> None:
    set_language(phone, server, lang)
    unit = _first_unit(phone, server)
    phone.goto(f"{server}/reports/statistics/?unit={unit}")
    card = phone.locator(".kpi").first
    label, figure = card.locator("span"), card.locator("strong")
    # The label sits above its figure, not run into it ("Received (12 months)23").
    assert (
        label.bounding_box()["y"] + label.bounding_box()["height"] <= figure.bounding_box()["y"] + 1
    )
    # The table of violations by year keeps its headings (it has no per-cell labels).
    headings = phone.locator("#violations-by-year thead th")
    assert headings.count() == 2 and headings.first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], width
    shot(phone, f"public-report-stats-phone-{lang}")


@pytest.mark.parametrize("lang", ["vi", "ar"])
def test_footage_statistics_show_their_column_headings_on_a_phone(
    phone: Any, server: str, lang: str
) -> None:
    set_language(phone, server, lang)
    phone.goto(server + "/evidence/statistics/")
    table = phone.locator("main table").first
    headings = table.locator("thead th")
    assert headings.count() >= 4 and headings.nth(1).is_visible()
    assert headings.nth(1).inner_text().strip()
    shot(phone, f"public-footage-stats-phone-{lang}")
