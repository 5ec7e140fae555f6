"""Units read in the order a person expects: Khu 2 before Khu 10, marks ignored, everywhere
a list of units is shown; the report form's wards say which units they were formed from."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit, natural_key
from safeward.reports.forms import ReportForm

pytestmark = pytest.mark.django_db


def test_numbers_sort_by_value_and_marks_do_not_push_names_last() -> None:
    names = ["Khu 10", "Khu 2", "Khu 1", "Ánh Dương", "Anh Hùng", "Đông Mai", "Bình", "Zô"]
    assert sorted(names, key=natural_key) == [
        "Ánh Dương",
        "Anh Hùng",
        "Bình",
        "Đông Mai",
        "Khu 1",
        "Khu 2",
        "Khu 10",
        "Zô",
    ]
    assert natural_key("Khu 007") == natural_key("Khu 7")


def _children(parent: AdminUnit, names: list[str]) -> list[AdminUnit]:
    return AdminUnit.objects.bulk_create(
        AdminUnit(
            code=f"T-{parent.code}-{i}",
            name=name,
            level=UnitLevel.NEIGHBOURHOOD,
            parent=parent,
            path=f"{parent.path}",
        )
        for i, name in enumerate(names)
    )


def test_every_way_of_writing_a_unit_keeps_its_sort_key(demo_units: dict[str, Any]) -> None:
    ward = demo_units["bai_chay"]
    made = _children(ward, ["Khu 10", "Khu 2"])
    assert [u.sort_key for u in AdminUnit.objects.filter(pk__in=[u.pk for u in made])] != ["", ""]
    unit = AdminUnit.objects.get(pk=made[0].pk)
    unit.name = "Khu 3"
    unit.save(update_fields=["name"])
    assert AdminUnit.objects.get(pk=unit.pk).sort_key == natural_key("Khu 3")
    made[1].name = "Khu 20"
    AdminUnit.objects.bulk_update([made[1]], ["name"])
    assert AdminUnit.objects.get(pk=made[1].pk).sort_key == natural_key("Khu 20")


def test_the_unit_page_lists_neighbourhoods_in_natural_order(
    officer: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    for unit in _children(ward, ["Khu 12", "Khu 9", "Khu 11"]):
        unit.path = f"{ward.path}{unit.pk}/"
        unit.depth = unit.path.count("/") - 2
        unit.save(update_fields=["path", "depth"])
    html = officer.get(f"/units/{ward.pk}/").content.decode()
    shown = [int(n) for n in re.findall(r">Khu (\d+)<", html)]
    assert {9, 11, 12} <= set(shown)
    assert shown == sorted(shown)


def test_report_form_wards_are_current_in_natural_order_and_name_their_former_units() -> None:
    with translation.override("en"):
        field = ReportForm().fields["unit"]
        choices = [(str(v), label) for v, label in field.choices if v]
    wards = list(
        AdminUnit.objects.current().filter(level=UnitLevel.WARD).values_list("pk", "sort_key")
    )
    assert len(choices) == len(wards) > 10
    assert [int(v) for v, _l in choices] == [pk for pk, _k in sorted(wards, key=lambda w: w[1])]
    formerly = [label for _v, label in choices if "(formerly " in label]
    assert formerly, "the current wards of July 2025 were formed from older ones"
    cam_pha = next(label for _v, label in choices if label.startswith("Phường Cẩm Phả"))
    assert "Cẩm Thành" in cam_pha or "Cẩm Trung" in cam_pha, cam_pha


def test_the_choices_cost_two_queries(django_assert_num_queries: Any) -> None:
    field = ReportForm().fields["unit"]
    with django_assert_num_queries(2):
        labels = [label for _v, label in field.choices]
    assert len(labels) > 10
