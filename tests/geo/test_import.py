from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from safeward.core.errors import DomainError
from safeward.geo.choices import UnitLevel
from safeward.geo.importer import REFORM_DAY, import_units
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.queries import successors_on

pytestmark = pytest.mark.django_db


def _quang_ninh() -> AdminUnit:
    return AdminUnit.objects.get(level=UnitLevel.PROVINCE, short_name="Quảng Ninh")


def test_quang_ninh_has_its_real_units_in_both_periods() -> None:
    province = _quang_ninh()
    inside = AdminUnit.objects.subtree_of(province)
    assert inside.filter(level=UnitLevel.DISTRICT).count() == 13
    assert inside.filter(level=UnitLevel.WARD, valid_to=dt.date(2025, 6, 30)).count() == 171
    assert inside.filter(level=UnitLevel.WARD, valid_from=REFORM_DAY).count() == 54


def test_every_pre_2025_ward_maps_to_at_least_one_2025_unit() -> None:
    legacy = AdminUnit.objects.subtree_of(_quang_ninh()).filter(
        level=UnitLevel.WARD, valid_to__isnull=False
    )
    unmapped = [w.name for w in legacy if not successors_on(w, REFORM_DAY)]
    assert unmapped == []


def test_shares_of_each_predecessor_sum_to_one() -> None:
    totals: dict[int, float] = defaultdict(float)
    for pred, share in UnitSuccession.objects.filter(predecessor__level=UnitLevel.WARD).values_list(
        "predecessor_id", "share"
    ):
        totals[pred] += share
    assert totals
    assert all(abs(total - 1.0) < 1e-9 for total in totals.values())


def test_second_import_changes_nothing() -> None:
    before = (AdminUnit.objects.count(), UnitSuccession.objects.count())
    stats = import_units(None, ["Quảng Ninh"])
    assert (stats.created, stats.updated, stats.successions_created, stats.successions_updated) == (
        0,
        0,
        0,
        0,
    )
    assert stats.unchanged == 239
    assert (AdminUnit.objects.count(), UnitSuccession.objects.count()) == before


def test_unknown_province_is_refused_by_name_and_nothing_changes() -> None:
    before = AdminUnit.objects.count()
    with pytest.raises(DomainError, match="Atlantis"):
        import_units(None, ["Quảng Ninh", "Atlantis"])
    assert AdminUnit.objects.count() == before


def test_a_merged_province_name_says_where_it_went() -> None:
    with pytest.raises(DomainError, match="Bắc Ninh"):
        import_units(None, ["Bắc Giang"])


def test_importing_a_merged_province_links_the_absorbed_one() -> None:
    stats = import_units(None, ["Bắc Ninh"])
    assert stats.created > 150
    bac_giang = AdminUnit.objects.get(level=UnitLevel.PROVINCE, short_name="Bắc Giang")
    assert bac_giang.valid_to == dt.date(2025, 6, 30)
    assert [w.unit.short_name for w in successors_on(bac_giang, REFORM_DAY)] == ["Bắc Ninh"]


def test_all_provinces_load_and_every_old_commune_or_island_district_is_mapped() -> None:
    stats = import_units(None, None)
    assert len(stats.provinces) == 34
    current = AdminUnit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True).count()
    dissolved = AdminUnit.objects.filter(
        level=UnitLevel.PROVINCE, valid_to=dt.date(2025, 6, 30)
    ).count()
    assert (current, current + dissolved) == (34, 63)
    legacy_wards = AdminUnit.objects.filter(level=UnitLevel.WARD, valid_to=dt.date(2025, 6, 30))
    assert legacy_wards.count() == 10035
    mapped = set(UnitSuccession.objects.values_list("predecessor_id", flat=True))
    assert not legacy_wards.exclude(pk__in=mapped).exists()
    island = AdminUnit.objects.get(level=UnitLevel.DISTRICT, short_name="Bạch Long Vĩ")
    assert [w.unit.short_name for w in successors_on(island, REFORM_DAY)] == ["Bạch Long Vĩ"]
    totals: dict[int, float] = defaultdict(float)
    for pred, share in UnitSuccession.objects.values_list("predecessor_id", "share"):
        totals[pred] += share
    assert all(abs(total - 1.0) < 1e-9 for total in totals.values())


def _outdated_unit_and_succession() -> tuple[AdminUnit, UnitSuccession, str]:
    """A unit and a succession of the province made stale, as an older dataset left them."""
    ward = AdminUnit.objects.subtree_of(_quang_ninh()).filter(level=UnitLevel.WARD).first()
    assert ward is not None
    right_name = ward.name
    AdminUnit.objects.filter(pk=ward.pk).update(name="Tên cũ")
    link = UnitSuccession.objects.filter(predecessor__level=UnitLevel.WARD).first()
    assert link is not None
    UnitSuccession.objects.filter(pk=link.pk).update(share=0.5)
    return ward, link, right_name


def test_a_failed_import_leaves_existing_units_as_they_were(monkeypatch) -> None:
    from safeward.core.errors import Conflict
    from safeward.geo.importer import _UnitPlan

    ward, link, _right_name = _outdated_unit_and_succession()
    before = AdminUnit.objects.count()

    def fail_at_last(self: _UnitPlan, pred_code: str, succ_code: str) -> None:
        if (pred_code, succ_code) == list(self.successions)[-1]:
            raise Conflict("the last succession is refused", field="code")
        original(self, pred_code, succ_code)

    original = _UnitPlan._write_succession
    monkeypatch.setattr(_UnitPlan, "_write_succession", fail_at_last)
    with pytest.raises(DomainError, match="the last succession is refused"):
        import_units(None, ["Quảng Ninh"])
    # Every row before the failing one was written, in batches; none of it stayed.
    ward.refresh_from_db()
    link.refresh_from_db()
    assert (ward.name, link.share) == ("Tên cũ", 0.5)
    assert AdminUnit.objects.count() == before


def test_an_import_brings_existing_units_up_to_date_at_its_switch_in() -> None:
    ward, link, right_name = _outdated_unit_and_succession()
    stats = import_units(None, ["Quảng Ninh"])
    assert (stats.updated, stats.successions_updated) == (1, 1)
    ward.refresh_from_db()
    link.refresh_from_db()
    assert ward.name == right_name and link.share != 0.5
