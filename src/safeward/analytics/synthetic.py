"""A synthetic indicator over ``SyntheticFact`` rows, for the benchmark and the engine's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from safeward.analytics import registry
from safeward.analytics.models import SyntheticFact
from safeward.analytics.registry import Aggregation, Fact, FactQuery, Indicator, Period

SYNTHETIC = "synthetic.reports"
SYNTHETIC_SUM = "synthetic.value"
SYNTHETIC_MEDIAN = "synthetic.median_value"
SYNTHETIC_DISTINCT = "synthetic.units_reporting"
SYNTHETIC_RATE = "synthetic.reports_per_1000"


def synthetic_facts(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = (
        SyntheticFact.objects.filter(day__gte=start, day__lte=end)
        .values_list("unit_id", "day", "category", "status", "value")
        .iterator(chunk_size=20000)
    )
    for unit_id, day, category, status, value in rows:
        yield Fact(unit_id, day, {"category": category, "status": status}, value)


def counted_facts(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for fact in synthetic_facts(start, end):
        yield fact._replace(value=1.0)


def unit_key_facts(start: dt.date, end: dt.date) -> Iterator[Fact]:
    for fact in synthetic_facts(start, end):
        yield fact._replace(value=float(fact.unit_id))


def synthetic_query(start: dt.date, end: dt.date, value: str | float) -> FactQuery:
    rows = SyntheticFact.objects.filter(day__gte=start, day__lte=end)
    dims = {"category": "category", "status": "status"}
    return FactQuery(rows, unit="unit_id", day="day", dims=dims, value=value)


def counted_query(start: dt.date, end: dt.date) -> FactQuery:
    return synthetic_query(start, end, 1.0)


def valued_query(start: dt.date, end: dt.date) -> FactQuery:
    return synthetic_query(start, end, "value")


def synthetic_indicators() -> list[Indicator]:
    dims = ("category", "status")
    named: dict[str, Any] = {"dimension_names": {"category": _("Category"), "status": _("Status")}}
    return [
        Indicator(
            SYNTHETIC,
            _("Synthetic reports"),
            _("reports"),
            Aggregation.COUNT,
            dims,
            source=counted_facts,
            fact_query=counted_query,
            app="analytics",
            **named,
            watches=("analytics.syntheticfact",),
        ),
        Indicator(
            SYNTHETIC_SUM,
            _("Synthetic value"),
            _("points"),
            Aggregation.SUM,
            dims,
            Period.MONTH,
            source=synthetic_facts,
            fact_query=valued_query,
            app="analytics",
            **named,
            watches=("analytics.syntheticfact",),
        ),
        Indicator(
            SYNTHETIC_MEDIAN,
            _("Synthetic median value"),
            _("points"),
            Aggregation.MEDIAN,
            dims,
            Period.MONTH,
            source=synthetic_facts,
            app="analytics",
            **named,
            watches=("analytics.syntheticfact",),
        ),
        Indicator(
            SYNTHETIC_DISTINCT,
            _("Units reporting"),
            _("units"),
            Aggregation.DISTINCT,
            dims,
            Period.MONTH,
            source=unit_key_facts,
            app="analytics",
            **named,
            watches=("analytics.syntheticfact",),
        ),
        Indicator(
            SYNTHETIC_RATE,
            _("Synthetic reports per 1,000 residents"),
            _("per 1,000"),
            Aggregation.RATE_PER_1000,
            dims,
            numerator=SYNTHETIC,
            app="analytics",
            **named,
            watches=("analytics.syntheticfact",),
        ),
    ]


def register_synthetic() -> list[Indicator]:
    """Register the synthetic indicators (the benchmark and tests call this)."""
    indicators = synthetic_indicators()
    registry.register(*indicators)
    return indicators


def unregister_synthetic() -> None:
    for indicator in synthetic_indicators():
        registry.unregister(indicator.code)


def synthetic_fact_add(
    *, unit_id: int, path: str, day: dt.date, category: str, status: str, value: float
) -> SyntheticFact:
    """Record a synthetic fact and add it to every synthetic indicator's rollups."""
    from safeward.analytics.rollups import rollup_add

    fact = SyntheticFact.objects.create(
        unit_id=unit_id, day=day, category=category, status=status, value=value
    )
    dims = {"category": category, "status": status}
    from safeward.geo.models import AdminUnit

    unit = AdminUnit(pk=unit_id, path=path)
    rollup_add(SYNTHETIC, unit=unit, day=day, dims=dims)
    rollup_add(SYNTHETIC_SUM, unit=unit, day=day, dims=dims, value=value)
    rollup_add(SYNTHETIC_MEDIAN, unit=unit, day=day, dims=dims, value=value)
    rollup_add(SYNTHETIC_DISTINCT, unit=unit, day=day, dims=dims, value=float(unit_id))
    return fact


def synthetic_fact_delete(fact: SyntheticFact, *, path: str) -> None:
    """Delete a synthetic fact and take it out of the rollups."""
    from safeward.analytics.rollups import rollup_remove
    from safeward.geo.models import AdminUnit

    unit = AdminUnit(pk=fact.unit_id, path=path)
    dims = {"category": fact.category, "status": fact.status}
    rollup_remove(SYNTHETIC, unit=unit, day=fact.day, dims=dims)
    rollup_remove(SYNTHETIC_SUM, unit=unit, day=fact.day, dims=dims, value=fact.value)
    rollup_remove(SYNTHETIC_MEDIAN, unit=unit, day=fact.day, dims=dims, value=fact.value)
    rollup_remove(SYNTHETIC_DISTINCT, unit=unit, day=fact.day, dims=dims, value=float(fact.unit_id))
    fact.delete()
