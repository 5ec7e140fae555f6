"""The rebuild, computed in temporary tables and swapped in by one statement, writes exactly
the rows the fact-by-fact fan-out writes.

The data: facts on the real Quảng Ninh units, on wards and neighbourhoods that the July 2025
reorganisation retired (recorded before it) and on the wards that succeeded them (after it),
with every aggregation the engine stores (count, sum from the month up, median, distinct).
Each rebuilt indicator is compared row by row with two references:

- the fan-out every incremental write uses (``fact_cells``: each fact added to its unit and
  every ancestor, for every stored period), summed in Python;
- the frozen digest of the rows the previous writer (one insert per level and period kind,
  straight into the rollup table inside the transaction) wrote on the same data, so any
  change to the tables' contents shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import Min

from safeward.analytics import registry
from safeward.analytics.models import FillState, RollupValue, SyntheticFact
from safeward.analytics.rollups import (
    fact_cells,
    rebuild_all,
    rebuild_indicator,
    refresh_indicator,
    unit_paths,
)
from safeward.analytics.synthetic import (
    SYNTHETIC,
    SYNTHETIC_DISTINCT,
    SYNTHETIC_MEDIAN,
    SYNTHETIC_SUM,
)
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit, UnitSuccession

REFORM = dt.date(2025, 7, 1)
STORED = [SYNTHETIC, SYNTHETIC_SUM, SYNTHETIC_MEDIAN, SYNTHETIC_DISTINCT]
CATEGORIES = ["theft", "fight", "fraud", "trộm cắp", "đánh nhau"]
STATUSES = ["new", "resolved", ""]
TODAY = dt.date(2026, 6, 30)

# Rows and SHA-256 of the sorted rows each indicator's rebuild wrote on ``reorganised_facts``
# with the previous writer (the same on SQLite and PostgreSQL).
FROZEN = {
    SYNTHETIC: (8167, "9c9ac1ae66a8e05fa16bbd18b24d231e62039ce1751d122b703dd697f5ba22b7"),
    SYNTHETIC_SUM: (6668, "10859b96ce79b6b5f768799f094a5c6a31317406f7dd97f5e71563f04d9e90e4"),
    SYNTHETIC_MEDIAN: (8931, "7a14c2b815574db119f87127ae18a36a97975a59a3e3d56ef3fc76c5479c80ae"),
    SYNTHETIC_DISTINCT: (9459, "aba56faeb939e0d7c25a18bd608bd5129d6076e79885b223690b40dde6fd5f03"),
}


def _wards(province: AdminUnit, *, legacy: bool) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            level=UnitLevel.WARD, path__subtree=province.path, valid_to__isnull=not legacy
        ).order_by("code")
    )


@pytest.fixture
def reorganised_facts(synthetic: None, demo_units: dict[str, Any]) -> list[SyntheticFact]:
    """1,500 facts before the reform on retired units, and after it on their successors."""
    rng = random.Random(19)
    province = demo_units["province"]
    legacy = _wards(province, legacy=True)
    current = _wards(province, legacy=False)
    assert legacy and current
    assert UnitSuccession.objects.filter(predecessor__in=legacy).exists()
    neighbourhoods = list(AdminUnit.objects.filter(parent__in=legacy[:25]).order_by("code"))
    neighbourhoods += list(AdminUnit.objects.filter(parent__in=current[:10]).order_by("code"))
    facts = []
    for n in range(1500):
        before = n % 3 != 0
        if before:
            unit = rng.choice(legacy + neighbourhoods[:40] + [province])
            first, days = dt.date(2019, 1, 1), (REFORM - dt.date(2019, 1, 1)).days
        else:
            unit = rng.choice(current + neighbourhoods[40:])
            first, days = REFORM, (TODAY - REFORM).days + 1
        facts.append(
            SyntheticFact(
                unit=unit,
                day=first + dt.timedelta(days=rng.randrange(days)),
                category=rng.choice(CATEGORIES),
                status=rng.choice(STATUSES),
                value=float(rng.randint(0, 40)) / 2,
            )
        )
    return SyntheticFact.objects.bulk_create(facts)


def _expected(code: str) -> set[tuple[Any, ...]]:
    """Every row the fact-by-fact fan-out gives, summed in Python."""
    indicator = registry.get(code)
    assert indicator is not None and indicator.source is not None
    paths = unit_paths()
    cells: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0.0, 0])
    for fact in indicator.source(dt.date(1990, 1, 1), TODAY):
        for key, value in fact_cells(indicator, paths[fact.unit_id], fact):
            cells[key][0] += value
            cells[key][1] += 1
    return {(code, u, k, s, d, b, round(v, 6), int(c)) for (u, k, s, d, b), (v, c) in cells.items()}


def _rows(code: str) -> set[tuple[Any, ...]]:
    fields = ("unit_id", "period_kind", "period_start", "dims_key", "bucket", "value", "count")
    return {
        (code, u, k, s, d, b, round(v, 6), c)
        for u, k, s, d, b, v, c in RollupValue.objects.filter(indicator=code).values_list(*fields)
    }


def _digest(rows: set[tuple[Any, ...]]) -> tuple[int, str]:
    lines = sorted(
        "|".join([c, str(u), k, s.isoformat(), d, str(b), repr(v), str(n)])
        for c, u, k, s, d, b, v, n in rows
    )
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.parametrize("code", STORED)
def test_rebuild_writes_the_fan_out_of_every_fact(
    reorganised_facts: list[SyntheticFact], code: str
) -> None:
    indicator = registry.get(code)
    assert indicator is not None
    written = rebuild_indicator(indicator, until=TODAY)
    rows = _rows(code)
    assert rows == _expected(code)
    assert written == len(rows)
    assert FillState.objects.get(indicator=code).rows == written


@pytest.mark.parametrize("code", STORED)
def test_rebuild_matches_the_frozen_rows_of_the_previous_writer(
    reorganised_facts: list[SyntheticFact], code: str
) -> None:
    indicator = registry.get(code)
    assert indicator is not None
    rebuild_indicator(indicator, until=TODAY)
    assert _digest(_rows(code)) == FROZEN[code]


def test_retired_units_keep_their_rows_and_successors_start_after_the_reform(
    reorganised_facts: list[SyntheticFact], demo_units: dict[str, Any]
) -> None:
    rebuild_all([SYNTHETIC])
    legacy = _wards(demo_units["province"], legacy=True)
    current = _wards(demo_units["province"], legacy=False)
    old = RollupValue.objects.filter(indicator=SYNTHETIC, unit__in=legacy, period_kind="month")
    new = RollupValue.objects.filter(indicator=SYNTHETIC, unit__in=current, period_kind="month")
    assert old.exists() and new.exists()
    assert new.aggregate(first=Min("period_start"))["first"] >= REFORM
    province = RollupValue.objects.filter(
        indicator=SYNTHETIC, unit=demo_units["province"], period_kind="year"
    )
    assert sum(province.values_list("count", flat=True)) == len(reorganised_facts)


@pytest.mark.parametrize("code", STORED)
def test_refresh_from_a_year_rewrites_only_that_year_on_and_matches_a_rebuild(
    reorganised_facts: list[SyntheticFact], code: str
) -> None:
    indicator = registry.get(code)
    assert indicator is not None
    rebuild_indicator(indicator, until=TODAY)
    before = _rows(code)
    SyntheticFact.objects.filter(day__gte=dt.date(2025, 1, 1)).update(category="fraud")
    SyntheticFact.objects.filter(day__lt=dt.date(2025, 1, 1)).update(status="changed")
    refresh_indicator(indicator, since=dt.date(2025, 3, 4))
    after = _rows(code)
    old = {r for r in after if r[3] < dt.date(2025, 1, 1)}
    assert old == {r for r in before if r[3] < dt.date(2025, 1, 1)}
    assert {r for r in after if r[3] >= dt.date(2025, 1, 1)} == {
        r for r in _expected(code) if r[3] >= dt.date(2025, 1, 1)
    }


def test_an_empty_source_writes_nothing(synthetic: None) -> None:
    for code in STORED:
        indicator = registry.get(code)
        assert indicator is not None
        assert rebuild_indicator(indicator, until=TODAY) == 0
    assert not RollupValue.objects.filter(indicator__in=STORED).exists()
