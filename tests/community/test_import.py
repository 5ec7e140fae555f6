"""CSV/XLSX imports: row-by-row errors, all-or-nothing by default."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from safeward.community.imports import GROUPS, MEMBERS
from safeward.community.models import Group, Membership
from safeward.core.importing import run_import
from tests.community import factories as f

HEADER = "unit_code,name,group_type,founded_on,households_covered\n"


def test_groups_import_all_or_nothing(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    csv = (
        HEADER + f"{code},Tổ A,security_order,2025-08-01,20\n"
        f"{code},Tổ B,nope,2025-08-01,20\n"
        f"{code},Tổ A,security_order,2025-08-01,20\n"
    ).encode()
    result = run_import(personas["ward_officer"], GROUPS, "groups.csv", csv)
    assert result.rolled_back and result.created == 0
    assert [(e.row, e.field) for e in result.errors] == [(3, "group_type"), (4, "")]
    assert "Duplicate of row 2" in result.errors[1].message
    assert not Group.objects.filter(name__in=["Tổ A", "Tổ B"]).exists()


def test_groups_import_partial_keeps_the_good_rows(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    csv = (HEADER + f"{code},Tổ A,security_order,2025-08-01,20\nXX-1,Tổ C,clan,,3\n").encode()
    result = run_import(personas["ward_officer"], GROUPS, "groups.csv", csv, partial=True)
    assert result.created == 1 and not result.rolled_back
    assert result.errors[0].row == 3 and "XX-1" in result.errors[0].message
    assert Group.objects.filter(name="Tổ A").exists()


def test_members_import_from_xlsx(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    group = f.led_group(hood, name="Tổ Khu 1")
    book = Workbook()
    sheet = book.active
    sheet.append(["unit_code", "group_name", "full_name", "phone", "role", "joined_on"])
    sheet.append([hood.code, "Tổ Khu 1", "Lê Văn Tâm", "0900000001", "member", "2025-09-01"])
    sheet.append([hood.code, "Tổ Khu 1", "Lê Văn Tâm", "0900000001", "deputy", "2025-09-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run_import(
        personas["group_leader"], MEMBERS, "m.xlsx", buffer.getvalue(), partial=True
    )
    assert result.created == 1
    assert result.errors[0].row == 3
    assert Membership.objects.filter(group=group, person__full_name="Lê Văn Tâm").count() == 1


def test_missing_columns_are_reported(personas: dict[str, Any]) -> None:
    result = run_import(personas["ward_officer"], GROUPS, "g.csv", b"unit_code,name\nA,B\n")
    assert "founded_on" in result.errors[0].message


def test_import_page_shows_row_errors_with_422(
    client_for: Any, demo_units: dict[str, Any], immediate_tasks: Any
) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    upload = SimpleUploadedFile("g.csv", (HEADER + f"{code},,clan,,1\n").encode())
    client = client_for("ward_officer")
    with immediate_tasks():
        started = client.post(
            reverse("community:import"),
            {"kind": "groups", "file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    response = client.get(started["Location"], HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in page and "name is required" in page
