"""Fixtures for analytics tests: the synthetic indicators and helpers recording synthetic facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeward.analytics.models import RollupValue, SyntheticFact
from safeward.analytics.synthetic import (
    register_synthetic,
    synthetic_fact_add,
    unregister_synthetic,
)
from safeward.geo.models import AdminUnit


@pytest.fixture
def synthetic(db: Any) -> Iterator[None]:
    register_synthetic()
    yield
    unregister_synthetic()


@pytest.fixture
def record(synthetic: None) -> Callable[..., SyntheticFact]:
    """``record(unit, day, category="theft", status="new", value=1.0)`` through the incremental hook."""

    def make(
        unit: AdminUnit,
        day: dt.date,
        category: str = "theft",
        status: str = "new",
        value: float = 1.0,
    ) -> SyntheticFact:
        return synthetic_fact_add(
            unit_id=unit.pk, path=unit.path, day=day, category=category, status=status, value=value
        )

    return make


def rollup_snapshot() -> set[tuple[Any, ...]]:
    """The rollup tables as a comparable set (values rounded against float noise)."""
    return {
        (i, u, k, s, d, b, round(v, 6), c)
        for i, u, k, s, d, b, v, c in RollupValue.objects.values_list(
            "indicator",
            "unit_id",
            "period_kind",
            "period_start",
            "dims_key",
            "bucket",
            "value",
            "count",
        )
    }
