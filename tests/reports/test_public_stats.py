"""Public report statistics: no small count shows, and none follows from the total."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from safeward.analytics.freshness import rollups_catch_up


def _numbers(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'class="num">([^<]*)<', table)


def test_a_small_category_cannot_be_worked_out_from_the_total(
    client: Client, submit: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["bai_chay"]
    for _i in range(7):
        submit(unit_key="bai_chay", category="theft")
    submit(unit_key="bai_chay", category="noise")
    rollups_catch_up()
    response = client.get("/reports/statistics/", {"unit": ward.pk})
    stats = response.context["stats"]
    shown = [r for row in stats.rows for cell in row["cells"] for r in cell if r]
    # 8 received, 7 of them thefts: showing both would give the single noise report away.
    assert not (stats.received == 8 and 7 in shown)
    html = response.content.decode()
    assert ">8<" not in html or ">7 /" not in html
    assert "<5 /" in html or "/ <5" in html


def test_the_page_shows_no_count_from_one_to_four(
    client: Client, submit: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["bai_chay"]
    for _i in range(6):
        submit(unit_key="bai_chay", category="theft")
    submit(unit_key="bai_chay", category="noise")
    rollups_catch_up()
    html = client.get("/reports/statistics/", {"unit": ward.pk}).content.decode()
    cells = " ".join(_numbers(html, "by-month"))
    assert not re.search(r"(?<![\d&;])[1-4](?!\d)", cells)
    assert "fewer than five" in html or "ít hơn năm" in html
