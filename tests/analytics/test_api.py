"""``/api/v1/indicators/``: definitions, values as JSON and CSV, and precise errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from safeward.analytics.synthetic import SYNTHETIC, SYNTHETIC_SUM

BASE = "/api/v1/indicators/"


@pytest.fixture
def facts(record: Callable[..., Any], demo_units: dict[str, Any]) -> None:
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 1, 5), "theft")
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 3, 5), "fight")


def values_url(code: str = SYNTHETIC, **params: Any) -> str:
    return f"{BASE}{code}/values/?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_definitions_are_listed(client_for: Callable[[str], Any], synthetic: None) -> None:
    response = client_for("analyst").get(BASE)
    assert response.status_code == 200
    codes = {i["code"]: i for i in response.json()["results"]}
    assert codes[SYNTHETIC]["aggregation"] == "count"
    assert codes[SYNTHETIC_SUM]["finest_period"] == "month"


def test_monthly_values_by_category(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    url = values_url(
        unit=demo_units["cam_thinh"].pk,
        period="month",
        by="category",
        **{"from": "2024-01-01", "to": "2024-03-31", "mode": "as_was"},
    )
    rows = client_for("province_admin").get(url).json()["results"]
    found = {(r["period"], r["category"]): r["value"] for r in rows}
    assert found[("2024-01", "theft")] == 1.0
    assert found[("2024-03", "fight")] == 1.0
    assert found[("2024-02", "theft")] == 0.0


def test_values_as_csv(
    facts: None, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    url = values_url(
        unit=demo_units["province"].pk, format="csv", **{"from": "2024-01-01", "to": "2024-12-31"}
    )
    response = client_for("province_admin").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "unit,period,period_start,group,value"
    assert lines[1].endswith(",2.0")


def test_an_unknown_indicator_is_a_404(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    response = client_for("province_admin").get(
        values_url("no.such", unit=demo_units["province"].pk)
    )
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_indicator"


@pytest.mark.parametrize(
    ("code", "params", "field", "error"),
    [
        (SYNTHETIC, {"from": "2024-05-01", "to": "2024-01-01"}, "from", "range"),
        (SYNTHETIC_SUM, {"period": "day"}, "period", "period_too_fine"),
        (SYNTHETIC, {"from": "1990-01-01", "to": "2024-01-01"}, "to", "range_too_long"),
        (SYNTHETIC, {"from": "yesterday"}, "from", "invalid_date"),
    ],
)
def test_bad_input_is_a_precise_400(
    code: str,
    params: dict[str, str],
    field: str,
    error: str,
    client_for: Callable[[str], Any],
    demo_units: dict[str, Any],
    synthetic: None,
) -> None:
    url = values_url(code, unit=demo_units["province"].pk, **params)
    response = client_for("province_admin").get(url)
    assert response.status_code == 400
    assert response.json()["code"] == error
    assert field in response.json()["errors"]


def test_unit_out_of_scope_is_404(
    client_for: Callable[[str], Any], demo_units: dict[str, Any], synthetic: None
) -> None:
    response = client_for("ward_officer").get(values_url(unit=demo_units["bai_chay"].pk))
    assert response.status_code == 404


def test_resident_cannot_read_indicators(client_for: Callable[[str], Any], synthetic: None) -> None:
    assert client_for("resident").get(BASE).status_code == 403


def test_the_api_schema_documents_the_values_endpoint(
    personas: dict[str, Any], synthetic: None
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["analyst"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/indicators/{code}/values/" in schema
    assert "as_was" in schema
