"""The rollup engine: incremental writes and the rebuild agree; subtree totals; aggregations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeward.analytics import registry
from safeward.analytics.models import RollupValue, SyntheticFact
from safeward.analytics.queries import series, total
from safeward.analytics.registry import Period
from safeward.analytics.rollups import rebuild_all, rollup_add
from safeward.analytics.synthetic import (
    SYNTHETIC,
    SYNTHETIC_DISTINCT,
    SYNTHETIC_MEDIAN,
    SYNTHETIC_SUM,
    synthetic_fact_delete,
)

from .conftest import rollup_snapshot

YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def ind(code: str) -> registry.Indicator:
    found = registry.get(code)
    assert found is not None
    return found


def test_a_fact_counts_in_its_unit_and_every_ancestor(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    khu = demo_units["cam_thinh_khu1"]
    record(khu, dt.date(2024, 3, 5))
    for key in ("cam_thinh_khu1", "cam_thinh", "cam_pha", "province"):
        assert total(ind(SYNTHETIC), demo_units[key], *YEAR_2024, as_is=False) == 1.0
    assert total(ind(SYNTHETIC), demo_units["ha_long"], *YEAR_2024, as_is=False) == 0.0


def test_rows_exist_for_months_and_years_and_quarters_read_as_months(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    record(demo_units["cam_thinh"], dt.date(2024, 5, 17))
    kinds = set(
        RollupValue.objects.filter(indicator=SYNTHETIC_SUM).values_list("period_kind", flat=True)
    )
    assert kinds == {Period.MONTH, Period.YEAR}
    quarters = series(
        ind(SYNTHETIC_SUM), demo_units["cam_pha"], *YEAR_2024, Period.QUARTER, as_is=False
    )
    assert quarters == {(dt.date(2024, 4, 1), None): 1.0}


def test_monthly_series_by_category(record: Callable[..., Any], demo_units: dict[str, Any]) -> None:
    ward = demo_units["cam_thinh"]
    record(ward, dt.date(2024, 1, 3), "theft")
    record(ward, dt.date(2024, 1, 9), "theft")
    record(ward, dt.date(2024, 2, 1), "fight")
    found = series(ind(SYNTHETIC), ward, *YEAR_2024, Period.MONTH, by="category", as_is=False)
    assert found == {(dt.date(2024, 1, 1), "theft"): 2.0, (dt.date(2024, 2, 1), "fight"): 1.0}


def test_median_and_distinct_come_from_buckets(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cam_thinh"]
    khu = demo_units["cam_thinh_khu1"]
    for value in (2, 3, 10):
        record(ward, dt.date(2024, 6, 1), value=value)
    record(khu, dt.date(2024, 6, 2), value=7)
    assert total(ind(SYNTHETIC_MEDIAN), ward, *YEAR_2024, as_is=False) == 3.0
    assert total(ind(SYNTHETIC_DISTINCT), ward, *YEAR_2024, as_is=False) == 2.0
    assert total(ind(SYNTHETIC_SUM), ward, *YEAR_2024, as_is=False) == 22.0


def test_removing_a_fact_leaves_no_empty_rows(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cam_thinh"]
    fact = record(ward, dt.date(2024, 6, 1), value=4)
    synthetic_fact_delete(fact, path=ward.path)
    assert not RollupValue.objects.exists()


def test_unknown_indicator_is_refused(synthetic: None, demo_units: dict[str, Any]) -> None:
    with pytest.raises(KeyError):
        rollup_add("no.such", unit=demo_units["cam_thinh"], day=dt.date(2024, 1, 1))


def test_rebuild_of_nothing_clears_stale_rows(synthetic: None, demo_units: dict[str, Any]) -> None:
    rollup_add(SYNTHETIC, unit=demo_units["cam_thinh"], day=dt.date(2024, 1, 1))
    rebuild_all([SYNTHETIC])
    assert not RollupValue.objects.filter(indicator=SYNTHETIC).exists()


UNIT_KEYS = ["cam_thinh", "cam_thinh_khu1", "cua_ong", "bai_chay", "ha_long", "cam_thinh_khu1_2025"]
WRITE = st.tuples(
    st.sampled_from(UNIT_KEYS),
    st.dates(dt.date(2019, 1, 1), dt.date(2026, 11, 28)),
    st.sampled_from(["theft", "fight", "drugs"]),
    st.sampled_from(["new", "resolved"]),
    st.integers(0, 30),
    st.booleans(),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(WRITE, min_size=1, max_size=25))
def test_incremental_rollups_equal_the_rebuild(
    writes: list[tuple[Any, ...]], record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    SyntheticFact.objects.all().delete()
    RollupValue.objects.all().delete()
    for key, day, category, status, value, delete_one in writes:
        record(demo_units[key], day, category, status, float(value))
        if delete_one:
            victim = SyntheticFact.objects.order_by("?").select_related("unit").first()
            assert victim is not None
            synthetic_fact_delete(victim, path=victim.unit.path)
    incremental = rollup_snapshot()
    rebuild_all([SYNTHETIC, SYNTHETIC_SUM, SYNTHETIC_MEDIAN, SYNTHETIC_DISTINCT])
    assert rollup_snapshot() == incremental


def test_public_figures_hide_small_counts(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    from dataclasses import replace

    from safeward.analytics.queries import public_total

    ward = demo_units["cam_thinh"]
    for day in range(1, 4):
        record(ward, dt.date(2024, 1, day))
    plain = ind(SYNTHETIC)
    suppressed = replace(plain, suppress_small_counts=True)
    assert public_total(plain, ward, *YEAR_2024) == 3.0
    assert public_total(suppressed, ward, *YEAR_2024) is None
    for day in range(4, 6):
        record(ward, dt.date(2024, 1, day))
    assert public_total(suppressed, ward, *YEAR_2024) == 5.0


def test_rebuild_command_reproduces_the_incremental_tables(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from safeward.analytics.models import FillState

    record(demo_units["cam_thinh_khu1"], dt.date(2023, 7, 1), "fight", value=4.0)
    record(demo_units["bai_chay"], dt.date(2025, 8, 1), "theft", value=2.0)
    before = rollup_snapshot()
    out = StringIO()
    call_command(
        "analytics", "rebuild", "--indicator", SYNTHETIC, "--indicator", SYNTHETIC_SUM, stdout=out
    )
    assert rollup_snapshot() == before
    assert "rebuilt 2 indicators" in out.getvalue()
    assert FillState.objects.get(indicator=SYNTHETIC).rows > 0


def test_refresh_from_a_year_matches_a_rebuild_for_recent_facts(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    from safeward.analytics.rollups import refresh_all

    record(demo_units["cam_thinh_khu1"], dt.date(2021, 2, 3), value=5.0)
    for day in (dt.date(2025, 3, 1), dt.date(2026, 10, 9)):
        SyntheticFact.objects.create(
            unit=demo_units["cua_ong"], day=day, category="drugs", status="new", value=2.0
        )
    refresh_all(since=dt.date(2025, 6, 30))
    refreshed = rollup_snapshot()
    rebuild_all()
    assert refreshed == rollup_snapshot()
    assert (
        total(
            ind(SYNTHETIC),
            demo_units["cua_ong"],
            dt.date(2025, 1, 1),
            dt.date(2026, 12, 31),
            as_is=False,
        )
        == 2.0
    )


def test_day_rows_are_kept_for_the_recording_unit_only(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 3, 5))
    day_units = set(
        RollupValue.objects.filter(indicator=SYNTHETIC, period_kind=Period.DAY).values_list(
            "unit_id", flat=True
        )
    )
    assert day_units == {demo_units["cam_thinh_khu1"].pk}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5), 1.0),
        (dt.date(2024, 3, 6), dt.date(2024, 3, 31), 1.0),
        (dt.date(2024, 2, 20), dt.date(2024, 5, 10), 3.0),
        (dt.date(2024, 3, 1), dt.date(2024, 4, 30), 3.0),
        (dt.date(2024, 4, 2), dt.date(2024, 12, 31), 0.0),
    ],
)
def test_ranges_off_month_boundaries_sum_the_subtree(
    record: Callable[..., Any],
    demo_units: dict[str, Any],
    start: dt.date,
    end: dt.date,
    expected: float,
) -> None:
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 3, 5))
    record(demo_units["cam_thinh"], dt.date(2024, 3, 31))
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 4, 1))
    for key in ("cam_thinh", "cam_pha", "province"):
        assert total(ind(SYNTHETIC), demo_units[key], start, end, as_is=False) == expected


def test_daily_series_of_a_district_reads_its_neighbourhoods(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 3, 5), "theft")
    record(demo_units["cam_thinh"], dt.date(2024, 3, 5), "fight")
    record(demo_units["cam_thinh"], dt.date(2024, 3, 7), "theft")
    record(demo_units["bai_chay"], dt.date(2024, 3, 7), "theft")
    found = series(
        ind(SYNTHETIC),
        demo_units["cam_pha"],
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 31),
        Period.DAY,
        by="category",
        as_is=False,
    )
    assert found == {
        (dt.date(2024, 3, 5), "theft"): 1.0,
        (dt.date(2024, 3, 5), "fight"): 1.0,
        (dt.date(2024, 3, 7), "theft"): 1.0,
    }


def test_an_as_of_end_indicator_counts_everything_before_each_period_end(
    record: Callable[..., Any], demo_units: dict[str, Any]
) -> None:
    from dataclasses import replace

    stock = replace(ind(SYNTHETIC), as_of_end=True)
    ward = demo_units["cam_thinh"]
    record(ward, dt.date(2023, 5, 1))
    record(demo_units["cam_thinh_khu1"], dt.date(2024, 2, 10))
    months = series(stock, ward, *YEAR_2024, Period.MONTH, as_is=False)
    assert months[(dt.date(2024, 1, 1), None)] == 1.0
    assert months[(dt.date(2024, 2, 1), None)] == 2.0
    assert months[(dt.date(2024, 12, 1), None)] == 2.0
    assert len(months) == 12
    assert total(stock, ward, dt.date(2024, 1, 1), dt.date(2024, 1, 31), as_is=False) == 1.0
    assert total(ind(SYNTHETIC), ward, *YEAR_2024, as_is=False) == 1.0


def test_a_distinct_key_from_part_of_a_split_counts_with_its_share() -> None:
    from safeward.analytics.queries import Cell, finish
    from safeward.analytics.registry import Aggregation

    cell = Cell([(7, 1.0, 2, 0.25), (7, 1.0, 1, 0.5), (9, 1.0, 1, 1.0), (11, 1.0, 0, 1.0)])
    assert finish(Aggregation.DISTINCT, cell)[0] == 1.5
