"""Indicators, defined once in code, and the fact sources that feed them.

An app declares its indicators in ``<app>/indicators.py``: a function
``indicators()`` returning them, over the app's own models. When the analytics
app starts, :func:`autodiscover` imports that module of every installed app and
registers what it declares (as Django's admin finds ``admin.py``), so a new
module adds indicators without touching the engine, and the engine reads no
app's tables and names no app. A *fact source* is a callable
``source(start, end)`` yielding :class:`Fact` rows for the rebuild; the app's
services call :func:`safeward.analytics.rollups.rollup_add` inside their
transaction to keep the rollups current between rebuilds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, NamedTuple, Protocol

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    COUNT = "count", _("Count")
    SUM = "sum", _("Sum")
    DISTINCT = "distinct", _("Distinct count")
    MEDIAN = "median", _("Median")
    RATE_PER_1000 = "rate1000", _("Rate per 1,000 residents")
    RATIO = "ratio", _("Ratio of two indicators")


class Period(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Kind(models.TextChoices):
    """A flow counts what happened in the period; a stock what existed at its end."""

    FLOW = "flow", _("Flow (events in the period)")
    STOCK = "stock", _("Stock (at the end of the period)")


PERIOD_ORDER: list[str] = [Period.DAY, Period.MONTH, Period.QUARTER, Period.YEAR]
STORED = (Aggregation.COUNT, Aggregation.SUM, Aggregation.DISTINCT, Aggregation.MEDIAN)


class Fact(NamedTuple):
    """One fact: ``value`` recorded under ``unit_id`` (the unit valid that day) on ``day``."""

    unit_id: int
    day: dt.date
    dims: dict[str, str]
    value: float = 1.0


class FactSource(Protocol):
    def __call__(self, start: dt.date, end: dt.date) -> Iterable[Fact]: ...


@dataclass(frozen=True)
class FactQuery:
    """A fact source the database can aggregate by itself: one row of ``queryset`` per fact.

    ``unit``, ``day`` and ``value`` and every entry of ``dims`` are field names
    or expressions over the queryset's model (``value`` may be a plain number);
    dimensions are read as text. The rebuild groups these rows in SQL instead
    of turning every fact into a Python object.
    """

    queryset: Any
    unit: Any
    day: Any
    dims: dict[str, Any] = field(default_factory=dict)
    value: Any = 1.0


class FactQuerySource(Protocol):
    def __call__(self, start: dt.date, end: dt.date) -> FactQuery: ...


def query_expression(spec: Any) -> Any:
    """A FactQuery entry as a query expression: a field name, a constant or an expression."""
    from django.db.models import F, FloatField, Value

    if isinstance(spec, str):
        return F(spec)
    if isinstance(spec, int | float):
        return Value(float(spec), output_field=FloatField())
    return spec


def query_facts(make: FactQuerySource) -> FactSource:
    """The Python fact source of a FactQuery: the same rows, one :class:`Fact` each
    (used for incremental work and for aggregations SQL cannot group, such as distinct)."""

    def source(start: dt.date, end: dt.date) -> Iterable[Fact]:
        query = make(start, end)
        names = sorted(query.dims)
        rows = query.queryset.annotate(
            sw_unit=query_expression(query.unit),
            sw_day=query_expression(query.day),
            sw_value=query_expression(query.value),
            **{f"sw_d{i}": query_expression(query.dims[n]) for i, n in enumerate(names)},
        ).values_list("sw_unit", "sw_day", "sw_value", *[f"sw_d{i}" for i in range(len(names))])
        for unit_id, day, value, *dims in rows.order_by().iterator(chunk_size=5000):
            yield Fact(unit_id, day, dict(zip(names, dims, strict=True)), float(value))

    return source


@dataclass(frozen=True)
class Indicator:
    """A measure leadership reads: how it is computed, cut and shown.

    Stored aggregations (count, sum, distinct, median) have a ``source``;
    derived ones name their inputs: ``numerator`` for a rate per 1,000
    residents, ``numerator`` and ``denominator`` for a ratio. ``narrate``
    puts it in the narrative summary, worded by ``narrative`` (with
    ``{year}``, ``{unit}``, ``{value}`` and ``{other}``, the value of the
    ``narrative_with`` indicator) when given. ``labels(dimension)`` maps
    stored dimension values (codes) to readable names. ``fact_query`` lets the
    rebuild group a sum or count in SQL. ``watches`` names the audit object
    types (``app.model``, or ``app.`` for all of an app's) whose changes may
    change the facts, by default the indicator's app; ``fact_days(object_type,
    ids)`` gives the earliest day the facts of those objects fall on, so the
    watermark-driven refresh recomputes only from that day's year.
    ``kind`` says whether it is a flow (facts inside the period) or a stock
    (every fact up to the period's end: a record counts +1 on the day it starts
    existing and -1 on the day it stops); ``as_of_end=True`` is the older
    spelling of a stock. ``note`` says, on dashboards, what the figure does and
    does not cover. ``headline`` places it among the figures a province reports,
    shown first on a dashboard (lower first; 0: after those, by code); the first
    headline flow is the one a dashboard opens on.
    """

    code: str
    name: Promise | str
    unit_of_measure: Promise | str
    aggregation: str = Aggregation.COUNT
    dimensions: tuple[str, ...] = ()
    finest_period: str = Period.DAY
    suppress_small_counts: bool = False
    source: FactSource | None = field(default=None, compare=False, hash=False)
    numerator: str = ""
    denominator: str = ""
    app: str = ""
    narrate: bool = False
    narrative: Promise | str = ""
    narrative_with: str = ""
    labels: Callable[[str], dict[str, str]] | None = field(default=None, compare=False, hash=False)
    fact_query: FactQuerySource | None = field(default=None, compare=False, hash=False)
    watches: tuple[str, ...] = ()
    fact_days: Callable[[str, list[str]], dict[str, dt.date]] | None = field(
        default=None, compare=False, hash=False
    )
    as_of_end: bool = False
    note: Promise | str = ""
    kind: str = ""
    headline: int = 0
    dimension_names: Mapping[str, Promise | str] = field(
        default_factory=dict, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        kind = Kind.STOCK if self.as_of_end else (self.kind or Kind.FLOW)
        object.__setattr__(self, "kind", Kind(kind))
        object.__setattr__(self, "as_of_end", kind == Kind.STOCK)
        if self.source is None and self.fact_query is not None:
            object.__setattr__(self, "source", query_facts(self.fact_query))

    @property
    def is_stored(self) -> bool:
        return self.aggregation in STORED

    @property
    def aggregates_in_sql(self) -> bool:
        """Whether the rebuild may group the facts in the database (sums and counts only)."""
        return self.fact_query is not None and self.aggregation in (
            Aggregation.COUNT,
            Aggregation.SUM,
        )

    def watched_types(self) -> tuple[str, ...]:
        """Audit object types whose changes may change this indicator's facts."""
        return self.watches or ((f"{self.app}.",) if self.app else ())

    def periods(self) -> list[str]:
        """The period kinds this indicator is rolled up to (its finest and coarser)."""
        return PERIOD_ORDER[PERIOD_ORDER.index(Period(self.finest_period)) :]

    def supports(self, period: str) -> bool:
        return period in self.periods()

    def stored_periods(self) -> list[str]:
        """The period kinds that have rollup rows: a quarter is read as its three months."""
        kinds = self.periods()
        return [k for k in kinds if k != Period.QUARTER or k == kinds[0]]

    def read_kind(self, period: str) -> str:
        """The stored period kind the rows of ``period`` are read from."""
        return period if period in self.stored_periods() else Period.MONTH

    def dimension_name(self, dimension: str) -> str:
        """What a breakdown by ``dimension`` is called (the code itself when the app gives none)."""
        return str(self.dimension_names.get(dimension) or dimension)

    def value_labels(self, dimension: str) -> dict[str, str]:
        """Readable names for a dimension's stored values (codes), when the source offers them."""
        return self.labels(dimension) if self.labels else {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": str(self.name),
            "unit_of_measure": str(self.unit_of_measure),
            "aggregation": self.aggregation,
            "dimensions": list(self.dimensions),
            "finest_period": self.finest_period,
            "suppress_small_counts": self.suppress_small_counts,
            "as_of_end": self.as_of_end,
            "kind": str(self.kind),
            "note": str(self.note),
            "numerator": self.numerator or None,
            "denominator": self.denominator or None,
            "app": self.app,
        }


_indicators: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    """Add indicators; registering the same code twice keeps the first definition."""
    for indicator in indicators:
        _check(indicator)
        _indicators.setdefault(indicator.code, indicator)


def unregister(code: str) -> None:
    _indicators.pop(code, None)


def _check(indicator: Indicator) -> None:
    if indicator.is_stored and indicator.source is None:
        raise ValueError(f"indicator {indicator.code} needs a fact source")
    if indicator.aggregation == Aggregation.RATIO and not indicator.denominator:
        raise ValueError(f"ratio indicator {indicator.code} needs a denominator")
    if not indicator.is_stored and not indicator.numerator:
        raise ValueError(f"derived indicator {indicator.code} needs a numerator")


def get(code: str) -> Indicator | None:
    return _indicators.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: i.code)


def stored_indicators() -> list[Indicator]:
    return [i for i in all_indicators() if i.is_stored]


INDICATORS_MODULE = "indicators"


def autodiscover() -> list[str]:
    """Register the indicators of every installed app that has an ``indicators`` module.

    Each such module defines ``indicators()``, returning its app's indicators; an
    error inside the module is raised, not hidden. Calling this again registers
    only what is missing (a code already registered keeps its definition).
    Returns the modules found.
    """
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, INDICATORS_MODULE):
            continue
        module = import_module(f"{config.name}.{INDICATORS_MODULE}")
        register(*module.indicators())
        found.append(module.__name__)
    return found


# --- helpers for the apps' fact sources ----------------------------------------------------
def local_day(value: dt.datetime | dt.date) -> dt.date:
    """The local calendar day of a timestamp (a date is its own day)."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def span(
    unit_id: int,
    dims: dict[str, Any],
    first: dt.date,
    stop: dt.date | None,
    bounds: tuple[dt.date, dt.date],
) -> Iterable[Fact]:
    """The facts of a stock: +1 on ``first``, -1 on ``stop`` (the record exists on the days
    in between), each only when it falls inside ``bounds`` (start, end)."""
    start, end = bounds
    if start <= first <= end:
        yield Fact(unit_id, first, dims, 1.0)
    if stop is not None and start <= stop <= end:
        yield Fact(unit_id, stop, dims, -1.0)


def choice_labels(choices: Any) -> dict[str, str]:
    """``{stored value: readable name}`` of a Django choices class (for ``labels``)."""
    return {str(value): str(label) for value, label in choices.choices}
