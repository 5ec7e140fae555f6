from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from safeward.cameras.importing import CAMERAS, CONTRIBUTIONS
from safeward.cameras.models import Camera, Contribution
from safeward.core.importing import run_import
from tests.cameras.factories import make_campaign

pytestmark = pytest.mark.django_db

HEADER = (
    "unit_code,custodian_kind,custodian_label,latitude,longitude,bearing,fov,range_m,installed_on"
)


def _csv(code: str, *rows: str) -> bytes:
    return "\n".join([HEADER, *[r.format(code=code) for r in rows]]).encode()


GOOD = "{code},household,Hộ bà Hoa,21.01,107.32,90,90,30,2024-03-01"
BAD_BEARING = "{code},household,Hộ ông Tư,21.01,107.32,400,90,30,2024-03-01"


def test_one_bad_row_writes_nothing_and_names_row_and_field(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cam_thinh_khu1"].code
    result = run_import(personas["ward_officer"], CAMERAS, "c.csv", _csv(code, GOOD, BAD_BEARING))
    assert result.created == 0 and Camera.objects.count() == 0
    assert [(e.row, e.field) for e in result.errors] == [(3, "bearing")]


def test_valid_rows_only_keeps_good_rows_and_names_the_rejected(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cam_thinh_khu1"].code
    content = _csv(code, GOOD, BAD_BEARING)
    result = run_import(personas["ward_officer"], CAMERAS, "c.csv", content, partial=True)
    assert result.created == 1 and Camera.objects.count() == 1
    assert [(e.row, e.field) for e in result.errors] == [(3, "bearing")]


def test_xlsx_contributions_import(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    front = personas["front_member"]
    campaign = make_campaign(front, demo_units["cam_thinh_khu1"])
    book = Workbook()
    sheet = book.active
    sheet.append(["campaign_id", "donor_name", "amount_vnd", "date", "receipt_no", "listing"])
    sheet.append([campaign.pk, "Hộ ông Bình", 1_500_000, "2024-04-02", "PT-1", "public"])
    sheet.append(
        [campaign.pk, "Doanh nghiệp Hải Long", 10_000_000, "2024-04-03", "PT-2", "anonymous"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = run_import(front, CONTRIBUTIONS, "x.xlsx", buffer.getvalue())
    assert result.ok, result.errors
    assert Contribution.objects.filter(campaign=campaign).count() == 2


def test_unknown_unit_code_is_reported(personas: dict[str, Any]) -> None:
    result = run_import(personas["ward_officer"], CAMERAS, "c.csv", _csv("NOPE", GOOD))
    assert result.errors[0].field == "unit_code"
