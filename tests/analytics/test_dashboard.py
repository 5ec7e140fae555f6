"""Dashboard pages: scoped to the user's units, drill-down, CSV for every chart, bounded queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from safeward.analytics.synthetic import SYNTHETIC


@pytest.fixture
def facts(record: Callable[..., Any], demo_units: dict[str, Any]) -> None:
    today = dt.date.today()
    record(demo_units["cam_thinh_khu1"], dt.date(today.year - 2, 3, 1), "theft")
    record(demo_units["cam_thinh_khu1_2025"], dt.date(today.year, 1, 2), "theft")
    record(demo_units["cam_thinh_khu1_2025"], dt.date(today.year, 1, 3), "fight")
    record(demo_units["bai_chay"], dt.date(today.year, 1, 4), "fight")


def url(unit: Any, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"indicator": SYNTHETIC, **params}.items())
    return reverse("analytics:unit", args=[unit.pk]) + "?" + query


def test_province_dashboard_shows_headline_and_child_units(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    response = client_for("province_admin").get(url(demo_units["province"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-indicator="synthetic.reports"' in body
    assert demo_units["cua_ong"].name in body
    assert response.context["board"].headlines[0]["value"] == 3.0


def test_ward_officer_cannot_open_another_wards_dashboard(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    client = client_for("ward_officer")
    assert client.get(url(demo_units["cua_ong"])).status_code == 200
    assert client.get(url(demo_units["bai_chay"])).status_code == 404
    assert client.get(url(demo_units["province"])).status_code == 404


def test_resident_and_outsider_see_no_dashboard(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    for persona in ("resident", "outsider"):
        assert client_for(persona).get(url(demo_units["cua_ong"])).status_code == 404


def test_home_dashboard_opens_the_users_own_unit(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    response = client_for("ward_officer").get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == demo_units["cua_ong"]


def test_drill_down_reaches_neighbourhoods_of_the_ward(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    response = client_for("ward_officer").get(url(demo_units["cua_ong"]))
    children = {row["unit"] for row in response.context["board"].children}
    assert demo_units["cam_thinh_khu1_2025"] in children
    row = next(
        r
        for r in response.context["board"].children
        if r["unit"] == demo_units["cam_thinh_khu1_2025"]
    )
    assert row["value"] == 2.0


def test_as_was_shows_the_units_of_the_time(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    year = str(dt.date.today().year - 2)
    response = client_for("province_admin").get(
        url(demo_units["province"], mode="as_was", year=year)
    )
    children = {row["unit"] for row in response.context["board"].children}
    assert demo_units["cam_pha"] in children


def test_every_chart_downloads_as_csv(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    client = client_for("ward_officer")
    unit = demo_units["cua_ong"]
    for chart in ("year", "month", "breakdown", "children"):
        path = reverse("analytics:chart_csv", args=[unit.pk, chart]) + f"?indicator={SYNTHETIC}"
        response = client.get(path)
        assert response.status_code == 200, chart
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(rows) >= 2, chart
    breakdown = client.get(
        reverse("analytics:chart_csv", args=[unit.pk, "breakdown"]) + f"?indicator={SYNTHETIC}"
    )
    assert ["fight", "1.0"] in list(csv.reader(io.StringIO(breakdown.content.decode())))


def test_csv_of_a_unit_out_of_scope_is_404(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    path = reverse("analytics:chart_csv", args=[demo_units["bai_chay"].pk, "year"])
    assert client_for("ward_officer").get(path).status_code == 404


def test_province_dashboard_query_budget(
    facts: None,
    client_for: Callable[[str], Any],
    demo_units: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for("province_admin")
    # a few of these read the paths whose subtrees hold the partial months' day rows; each of
    # the 14 headline figures reads this year and last year, and the freshness line one more
    with django_assert_max_num_queries(62):
        assert client.get(url(demo_units["province"])).status_code == 200


def test_staff_home_links_to_the_dashboard(
    client_for: Callable[[str], Any], synthetic: None
) -> None:
    body = client_for("ward_officer").get(reverse("web:home")).content.decode()
    assert reverse("analytics:dashboard") in body
