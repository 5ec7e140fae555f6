"""Public statistics per ward or city: counts by category and month, time to resolve, on-time rate.

Every count under :data:`SUPPRESS_BELOW` is shown as suppressed, and so are the median
and the on-time rate computed from fewer reports than that.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safeward.core.scoping import path_q
from safeward.geo.models import AdminUnit
from safeward.geo.queries import predecessor_paths
from safeward.reports.choices import DONE_STATUSES, VIOLATION_OUTCOMES
from safeward.reports.models import Report

SUPPRESS_BELOW = 5
CACHE_SECONDS = 600


def shown(count: int) -> int | None:
    """The count, or None when it is too small to publish."""
    return count if count >= SUPPRESS_BELOW else None


@dataclass
class UnitStats:
    unit_id: int
    months: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    received: int | None = None
    resolved: int | None = None
    violations_by_year: list[tuple[int, int | None]] = field(default_factory=list)
    median_days: float | None = None
    on_time_rate: float | None = None


def reports_of(unit: AdminUnit) -> Any:
    """Reports recorded under ``unit``'s subtree or under any unit it was formed from."""
    return Report.objects.filter(path_q("unit_path", [unit.path, *predecessor_paths(unit)]))


def month_list(end: dt.date, count: int = 12) -> list[dt.date]:
    months, year, month = [], end.year, end.month
    for _i in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _table(qs: Any, months: list[dt.date]) -> list[dict[str, Any]]:
    counts = (
        qs.filter(received_at__date__gte=months[0])
        .annotate(month=TruncMonth("received_at"))
        .values("category__name", "month")
        .annotate(received=Count("pk"), resolved=Count("pk", filter=Q(status__in=DONE_STATUSES)))
    )
    by_category: dict[str, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for row in counts:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        by_category[row["category__name"]][month] = (row["received"], row["resolved"])
    return [
        {
            "category": name,
            "cells": [tuple(shown(v) for v in cells.get(m, (0, 0))) for m in months],
        }
        for name, cells in sorted(by_category.items())
    ]


def _timeliness(qs: Any) -> tuple[float | None, float | None]:
    done = list(
        qs.filter(resolved_at__isnull=False).values_list("received_at", "resolved_at", "due_on")
    )
    if len(done) < SUPPRESS_BELOW:
        return None, None
    days = [(r - s).total_seconds() / 86400 for s, r, _d in done]
    on_time = sum(1 for _s, r, d in done if timezone.localdate(r) <= d)
    return round(statistics.median(days), 1), round(100 * on_time / len(done), 1)


def _violations_by_year(qs: Any) -> list[tuple[int, int | None]]:
    rows = (
        qs.filter(outcome__in=VIOLATION_OUTCOMES)
        .values_list("occurred_at__year")
        .annotate(n=Count("pk"))
        .order_by("occurred_at__year")
    )
    return [(year, shown(n)) for year, n in rows]


def unit_stats(unit: AdminUnit, today: dt.date | None = None) -> UnitStats:
    """Figures for the public page (cached ten minutes)."""
    today = today or timezone.localdate()
    key = f"sw-report-stats:{unit.pk}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    qs = reports_of(unit)
    months = month_list(today)
    year_qs = qs.filter(received_at__date__gte=months[0])
    median, on_time = _timeliness(year_qs)
    stats = UnitStats(
        unit_id=unit.pk,
        months=[m.strftime("%m/%Y") for m in months],
        rows=_table(qs, months),
        received=shown(year_qs.count()),
        resolved=shown(year_qs.filter(status__in=DONE_STATUSES).count()),
        violations_by_year=_violations_by_year(qs),
        median_days=median,
        on_time_rate=on_time,
    )
    cache.set(key, stats, CACHE_SECONDS)
    return stats
