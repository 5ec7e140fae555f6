"""The indicator registry: definitions checked once, periods, autodiscovery."""

from __future__ import annotations

import pytest

from safeward.analytics import registry
from safeward.analytics.registry import Aggregation, Indicator, Period


def test_a_stored_indicator_needs_a_source() -> None:
    with pytest.raises(ValueError, match="source"):
        registry.register(Indicator("x.count", "X", "things"))


def test_a_ratio_needs_both_sides() -> None:
    with pytest.raises(ValueError, match="denominator"):
        registry.register(Indicator("x.ratio", "X", "%", Aggregation.RATIO, numerator="a"))


def test_periods_run_from_the_finest_up() -> None:
    indicator = Indicator("x.m", "X", "things", source=lambda s, e: [], finest_period=Period.MONTH)
    assert indicator.periods() == [Period.MONTH, Period.QUARTER, Period.YEAR]
    assert not indicator.supports(Period.DAY)


def test_registering_twice_keeps_the_first() -> None:
    first = Indicator("x.twice", "First", "things", source=lambda s, e: [])
    registry.register(first, Indicator("x.twice", "Second", "things", source=lambda s, e: []))
    try:
        assert registry.get("x.twice") is first
    finally:
        registry.unregister("x.twice")
