"""Across the July 2025 reorganisation: history mapped onto today's units loses and invents nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest

from safeward.analytics import registry
from safeward.analytics.queries import Query, total, values
from safeward.analytics.registry import Aggregation, Period
from safeward.analytics.rollups import rebuild_all
from safeward.analytics.synthetic import SYNTHETIC, SYNTHETIC_SUM
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit

REFORM = dt.date(2025, 7, 1)
ADDITIVE = [SYNTHETIC, SYNTHETIC_SUM]


def _wards(province: AdminUnit, *, legacy: bool) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            level=UnitLevel.WARD, path__subtree=province.path, valid_to__isnull=not legacy
        ).order_by("code")
    )


@pytest.fixture
def history(record: Callable[..., Any], demo_units: dict[str, Any]) -> dict[str, list[AdminUnit]]:
    """Facts on random pre-2025 wards and neighbourhoods, then on 2025 wards after the reform."""
    rng = random.Random(5)
    legacy = _wards(demo_units["province"], legacy=True)
    current = _wards(demo_units["province"], legacy=False)
    khus = list(AdminUnit.objects.filter(parent__in=legacy[:20]))
    for _ in range(300):
        unit = rng.choice(legacy + khus)
        day = dt.date(2019, 1, 1) + dt.timedelta(
            days=rng.randrange((REFORM - dt.date(2019, 1, 1)).days)
        )
        record(unit, day, rng.choice(["theft", "fight"]), "new", float(rng.randint(1, 9)))
    for _ in range(50):
        record(rng.choice(current), dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(400)))
    return {"legacy": legacy, "current": current}


def _sum(
    code: str, units: list[AdminUnit], period: str, start: dt.date, end: dt.date, as_is: bool
) -> dict[dt.date, float]:
    indicator = registry.get(code)
    assert indicator is not None
    found = values(Query(indicator, tuple(units), start, end, period=period, as_is=as_is))
    result: dict[dt.date, float] = {}
    for (_unit, when, _group), value in found.items():
        assert when is not None
        result[when] = result.get(when, 0.0) + (value or 0.0)
    return result


def test_every_legacy_ward_passes_on_its_whole_share(demo_units: dict[str, Any]) -> None:
    for ward in _wards(demo_units["province"], legacy=True):
        shares = sum(s.share for s in ward.successions_out.all())
        assert shares == pytest.approx(1.0), ward.name


@pytest.mark.parametrize("code", ADDITIVE)
@pytest.mark.parametrize("period", [Period.MONTH, Period.QUARTER, Period.YEAR])
def test_mapped_history_sums_to_the_legacy_totals(
    code: str, period: str, history: dict[str, list[AdminUnit]]
) -> None:
    start, end = dt.date(2019, 1, 1), dt.date(2026, 11, 29)
    as_was = _sum(code, history["legacy"], period, start, end, as_is=False)
    recorded_since = _sum(code, history["current"], period, start, end, as_is=False)
    as_is = _sum(code, history["current"], period, start, end, as_is=True)
    assert as_was and recorded_since
    assert set(as_is) == set(as_was) | set(recorded_since)
    for when, value in as_is.items():
        expected = as_was.get(when, 0.0) + recorded_since.get(when, 0.0)
        assert value == pytest.approx(expected), when


def test_rebuild_keeps_the_mapping_equal(history: dict[str, list[AdminUnit]]) -> None:
    rebuild_all(ADDITIVE)
    start, end = dt.date(2019, 1, 1), dt.date(2026, 11, 29)
    for code in ADDITIVE:
        legacy = sum(_sum(code, history["legacy"], Period.YEAR, start, end, as_is=False).values())
        mapped = sum(_sum(code, history["current"], Period.YEAR, start, end, as_is=True).values())
        current_only = sum(
            _sum(code, history["current"], Period.YEAR, start, end, as_is=False).values()
        )
        assert mapped == pytest.approx(legacy + current_only)


def test_a_2025_ward_as_is_includes_its_predecessors(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    indicator = registry.get(SYNTHETIC)
    assert indicator is not None and indicator.aggregation == Aggregation.COUNT
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 4, 1))
    record(demo_units["cam_thinh_khu1_2025"], dt.date(2025, 9, 1))
    year = (dt.date(2019, 1, 1), dt.date(2026, 12, 31))
    assert total(indicator, demo_units["cua_ong"], *year, as_is=False) == 1.0
    assert total(indicator, demo_units["cua_ong"], *year, as_is=True) == pytest.approx(
        1.0
        + sum(
            s.share
            for s in demo_units["cam_thinh"].successions_out.filter(successor=demo_units["cua_ong"])
        )
    )
    assert total(indicator, demo_units["cam_thinh_khu1_2025"], *year, as_is=True) == 2.0
