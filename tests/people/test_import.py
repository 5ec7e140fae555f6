"""Households and their members from CSV, on the core import framework."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from safeward.core.importing import run_import
from safeward.people.imports import HOUSEHOLDS
from safeward.people.models import Household, Person

pytestmark = pytest.mark.django_db
HEADER = "unit_code,label,address,phone,members,persons\n"


def test_households_and_their_persons_are_imported(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    data = (
        HEADER + f"{code},Hộ ông Lâm,Tổ 3,,4,Lâm Văn Hải (1970); Phạm Thị Hoa (1974); Lâm Minh\n"
        f"{code},Hộ bà Tư,Tổ 5,,1,\n"
    ).encode()
    result = run_import(personas["ward_officer"], HOUSEHOLDS, "h.csv", data)
    assert result.ok and result.created == 2, result.errors
    lam = Household.objects.get(label="Hộ ông Lâm")
    assert sorted(lam.persons.values_list("full_name", "birth_year")) == [
        ("Lâm Minh", None),
        ("Lâm Văn Hải", 1970),
        ("Phạm Thị Hoa", 1974),
    ]
    assert Household.objects.get(label="Hộ bà Tư").persons.count() == 0
    assert Household._base_manager.filter(pending_import__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Hộ khai nhiều người (2) hơn số thành viên (1)."),
        ("ar", "تذكر الأسرة أشخاصًا (2) أكثر من عدد أفرادها (1)."),
        ("en", "The household lists more persons (2) than members (1)."),
    ],
)
def test_a_bad_row_is_named_in_the_users_language_and_nothing_lands(
    personas: dict[str, Any], demo_units: dict[str, Any], language: str, expected: str
) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    data = (
        HEADER + f"{code},Hộ tốt,,,2,Nguyễn An (1990)\n"
        f"{code},Hộ sai,,,1,Nguyễn Bình; Nguyễn Chi\n"
        f"{code},Hộ tên lạ,,,2,Nguyễn (19xx)\n"
    ).encode()
    households, persons = Household.objects.count(), Person.objects.count()
    with translation.override(language):
        result = run_import(personas["ward_officer"], HOUSEHOLDS, "h.csv", data)
    assert result.rolled_back
    assert [(e.row, e.field) for e in result.errors] == [(3, "persons"), (4, "persons")]
    assert result.errors[0].message == expected
    assert (Household.objects.count(), Person.objects.count()) == (households, persons)


def test_a_household_already_registered_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    data = (HEADER + f"{unit.code},Hộ lặp,,,1,\n").encode()
    assert run_import(personas["ward_officer"], HOUSEHOLDS, "h.csv", data).ok
    with translation.override("vi"):
        again = run_import(personas["ward_officer"], HOUSEHOLDS, "h.csv", data)
    assert again.errors[0].message == f"{unit} đã có hộ “Hộ lặp”."
    assert Household.objects.filter(label="Hộ lặp").count() == 1


def test_a_file_of_more_than_2000_households_is_taken(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    code = demo_units["cam_thinh_khu1_2025"].code
    rows = "".join(f"{code},Hộ {n},,,1,Người {n}\n" for n in range(2_100))
    result = run_import(personas["ward_officer"], HOUSEHOLDS, "h.csv", (HEADER + rows).encode())
    assert result.ok and result.created == 2_100, result.errors[:3]
    assert Household.objects.filter(label__startswith="Hộ ").count() >= 2_100
