"""Coverage and money per unit, rolled up the unit tree and across the 2025 reorganisation.

A unit's figures take in everything recorded under it and under the units it was
formed from (see :mod:`safeward.geo.queries`): a ward created in July 2025 counts
the cameras and campaigns recorded against the neighbourhoods of the wards it
merged. Facts recorded against a unit that no longer exists are followed through
``UnitSuccession`` to the unit valid on the day the coverage is read for, so a
neighbourhood is counted once whichever side of the reform its cameras were
registered on, and a ward split between two successors counts towards the one
that took the largest share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from safeward.cameras.choices import CameraStatus
from safeward.cameras.models import Camera, Contribution, Expense
from safeward.core.scoping import minimal_prefixes, path_q
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.queries import predecessor_paths

MAX_REFORMS = 10  # successions never chain deeper than a handful of reforms


@dataclass(frozen=True)
class Coverage:
    unit: AdminUnit
    cameras_total: int
    cameras_working: int
    neighbourhoods_covered: int
    neighbourhoods_total: int
    raised_vnd: int
    spent_vnd: int
    population: int | None = None
    day: dt.date | None = None

    @property
    def balance_vnd(self) -> int:
        return self.raised_vnd - self.spent_vnd

    @property
    def per_1000_residents(self) -> float | None:
        if not self.population:
            return None
        return round(self.cameras_working * 1000 / self.population, 2)

    @property
    def per_km2(self) -> float | None:
        if not self.unit.area_km2:
            return None
        return round(self.cameras_working / self.unit.area_km2, 2)

    @property
    def label(self) -> str:
        return f"{self.neighbourhoods_covered}/{self.neighbourhoods_total}"


def coverage_day(unit: AdminUnit) -> dt.date:
    """The day a unit's coverage is read for: today, or its last day if it no longer exists."""
    today = timezone.localdate()
    return min(unit.valid_to, today) if unit.valid_to else today


def units_on(unit_ids: Iterable[int], day: dt.date) -> dict[int, AdminUnit | None]:
    """Each unit mapped to the unit valid on ``day`` that took it over (itself if still valid).

    Successions are followed forward in batches (one query per reform step); where a unit
    was split, the successor with the largest share wins. ``None`` when nothing took it over.
    """
    units = AdminUnit.objects.in_bulk(set(unit_ids))
    result: dict[int, AdminUnit | None] = {}
    frontier: dict[int, int] = {}
    for pk, unit in units.items():
        if unit.is_valid_on(day):
            result[pk] = unit
        else:
            frontier[pk] = pk
    for _step in range(MAX_REFORMS):
        if not frontier:
            break
        best = _largest_successors(set(frontier.values()))
        units.update(AdminUnit.objects.in_bulk(set(best.values()) - set(units)))
        following: dict[int, int] = {}
        for origin, current in frontier.items():
            successor = best.get(current)
            if successor is None:
                result[origin] = None
            elif units[successor].is_valid_on(day):
                result[origin] = units[successor]
            else:
                following[origin] = successor
        frontier = following
    for origin in frontier:
        result[origin] = None
    return result


def _largest_successors(unit_ids: set[int]) -> dict[int, int]:
    best: dict[int, tuple[float, int]] = {}
    links = UnitSuccession.objects.filter(predecessor_id__in=unit_ids).values_list(
        "predecessor_id", "successor_id", "share"
    )
    for pred, succ, share in links:
        if pred not in best or (share, -succ) > (best[pred][0], -best[pred][1]):
            best[pred] = (share, succ)
    return {pred: succ for pred, (_share, succ) in best.items()}


class _Attribution:
    """Which rows recorded against ``unit`` or its predecessors belong to ``unit`` on ``day``."""

    def __init__(self, unit: AdminUnit, day: dt.date) -> None:
        self.unit, self.day = unit, day
        self.prefixes = minimal_prefixes({unit.path, *predecessor_paths(unit)})
        self.mapped: dict[int, AdminUnit | None] = {}

    def scope(self, field: str) -> Q:
        return path_q(field, self.prefixes)

    def resolve(self, rows: list[dict[str, Any]], key: str) -> None:
        missing = {row[key] for row in rows} - set(self.mapped)
        if missing:
            self.mapped.update(units_on(missing, self.day))

    def belongs(self, row: dict[str, Any], key: str, path_key: str) -> bool:
        if row[path_key].startswith(self.unit.path):
            return True
        mapped = self.mapped.get(row[key])
        return mapped is not None and mapped.path.startswith(self.unit.path)

    def neighbourhood_of(self, unit_id: int) -> int | None:
        mapped = self.mapped.get(unit_id)
        if (
            mapped is None
            or mapped.level != UnitLevel.NEIGHBOURHOOD
            or not mapped.path.startswith(self.unit.path)
        ):
            return None
        return mapped.pk


def unit_coverage(unit: AdminUnit, cameras: Any = None, *, day: dt.date | None = None) -> Coverage:
    """Cameras, covered neighbourhoods and money for ``unit``, everything below it and
    everything recorded against the units it was formed from."""
    found = _Attribution(unit, day or coverage_day(unit))
    base = cameras if cameras is not None else Camera.objects.all()
    rows = list(
        base.filter(found.scope("unit__path"))
        .values("unit_id", "unit__path")
        .annotate(total=Count("id"), working=Count("id", filter=Q(status=CameraStatus.WORKING)))
        .order_by()
    )
    found.resolve(rows, "unit_id")
    rows = [r for r in rows if found.belongs(r, "unit_id", "unit__path")]
    covered = {found.neighbourhood_of(r["unit_id"]) for r in rows if r["working"]} - {None}
    hoods = AdminUnit.objects.filter(
        path__startswith=unit.path, level=UnitLevel.NEIGHBOURHOOD
    ).valid_on(found.day)
    return Coverage(
        unit=unit,
        cameras_total=sum(r["total"] for r in rows),
        cameras_working=sum(r["working"] for r in rows),
        neighbourhoods_covered=len(covered),
        neighbourhoods_total=hoods.count(),
        raised_vnd=_money(Contribution, found),
        spent_vnd=_money(Expense, found),
        population=unit.population or hoods.aggregate(p=Sum("population"))["p"],
        day=found.day,
    )


def _money(model: Any, found: _Attribution) -> int:
    """The counted (not voided) amounts of campaigns attributed to the unit."""
    rows = list(
        model.objects.counted()
        .filter(found.scope("campaign__unit__path"))
        .values("campaign__unit_id", "campaign__unit__path")
        .annotate(amount=Sum("amount_vnd"))
        .order_by()
    )
    found.resolve(rows, "campaign__unit_id")
    return sum(
        r["amount"] for r in rows if found.belongs(r, "campaign__unit_id", "campaign__unit__path")
    )
