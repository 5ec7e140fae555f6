"""Reading an app's indicators in tests: look one up, rebuild it, read a total or a breakdown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeward.analytics import registry
from safeward.analytics.queries import series, total
from safeward.analytics.registry import Indicator
from safeward.analytics.rollups import rebuild_indicator

START, END = dt.date(2015, 1, 1), dt.date(2026, 12, 31)


def indicator(code: str) -> Indicator:
    found = registry.get(code)
    assert found is not None, code
    return found


def rebuilt(code: str, unit: Any, by: str | None = None) -> Any:
    """The indicator's all-time total for ``unit`` after a rebuild, or its yearly breakdown ``by``."""
    ind = indicator(code)
    rebuild_indicator(ind)
    if by:
        return {k[1]: v for k, v in series(ind, unit, START, END, "year", by=by).items()}
    return total(ind, unit, START, END)


def assert_registered(code: str, app: str) -> None:
    ind = indicator(code)
    assert ind.app == app
    assert ind.is_stored
    assert str(ind.name) and str(ind.unit_of_measure)
