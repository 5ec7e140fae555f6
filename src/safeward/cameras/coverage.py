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
from collections import Counter, defaultdict
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


def _ids(path: str) -> set[int]:
    return {int(part) for part in path.strip("/").split("/") if part}


def _predecessor_paths(units: list[AdminUnit]) -> dict[int, list[str]]:
    """Every unit's predecessors' paths, transitively, in one query per reform step."""
    seen: dict[int, set[int]] = {u.pk: set() for u in units}
    frontier: dict[int, set[int]] = {u.pk: {u.pk} for u in units}
    for _step in range(MAX_REFORMS):
        asked = set().union(*frontier.values())
        if not asked:
            break
        links: dict[int, set[int]] = defaultdict(set)
        for pred, succ in UnitSuccession.objects.filter(successor_id__in=asked).values_list(
            "predecessor_id", "successor_id"
        ):
            links[succ].add(pred)
        for origin, current in frontier.items():
            found = {p for c in current for p in links.get(c, ())} - seen[origin] - {origin}
            seen[origin] |= found
            frontier[origin] = found
    every = set().union(*seen.values())
    paths = dict(AdminUnit.objects.filter(pk__in=every).values_list("pk", "path")) if every else {}
    return {origin: [paths[p] for p in preds] for origin, preds in seen.items()}


class _Attribution:
    """Which rows recorded under the units or their predecessors belong to which unit on ``day``."""

    def __init__(self, units: list[AdminUnit], day: dt.date) -> None:
        self.day = day
        self.wanted = {u.pk for u in units}
        predecessors = _predecessor_paths(units)
        paths = {u.path for u in units} | {p for ps in predecessors.values() for p in ps}
        self.prefixes = minimal_prefixes(paths)
        self.mapped: dict[int, AdminUnit | None] = {}

    def rows(self, qs: Any, unit_field: str, **sums: Any) -> list[tuple[set[int], int, dict]]:
        """``(owners, unit id, sums)`` per unit the rows were recorded against."""
        found = list(
            qs.filter(path_q(f"{unit_field}__path", self.prefixes))
            .values(f"{unit_field}_id", f"{unit_field}__path")
            .annotate(**sums)
            .order_by()
        )
        ids = {row[f"{unit_field}_id"] for row in found}
        if ids - set(self.mapped):
            self.mapped.update(units_on(ids - set(self.mapped), self.day))
        result = []
        for row in found:
            unit_id = row[f"{unit_field}_id"]
            mapped = self.mapped.get(unit_id)
            owners = _ids(row[f"{unit_field}__path"]) | (_ids(mapped.path) if mapped else set())
            result.append((owners & self.wanted, unit_id, row))
        return result

    def neighbourhood_of(self, unit_id: int) -> AdminUnit | None:
        mapped = self.mapped.get(unit_id)
        return mapped if mapped is not None and mapped.level == UnitLevel.NEIGHBOURHOOD else None


def unit_coverage(unit: AdminUnit, cameras: Any = None, *, day: dt.date | None = None) -> Coverage:
    """Cameras, covered neighbourhoods and money for ``unit``, everything below it and
    everything recorded against the units it was formed from."""
    return units_coverage([unit], cameras, day=day or coverage_day(unit))[0]


def units_coverage(units: list[AdminUnit], cameras: Any = None, *, day: dt.date) -> list[Coverage]:
    """:func:`unit_coverage` for several units at once, in a fixed number of queries."""
    if not units:
        return []
    found = _Attribution(units, day)
    base = cameras if cameras is not None else Camera.objects.all()
    totals: dict[int, Counter[str]] = {u.pk: Counter() for u in units}
    covered: dict[int, set[int]] = {u.pk: set() for u in units}
    working = Count("id", filter=Q(status=CameraStatus.WORKING))
    for owners, unit_id, row in found.rows(base, "unit", total=Count("id"), working=working):
        hood = found.neighbourhood_of(unit_id) if row["working"] else None
        for owner in owners:
            totals[owner].update(total=row["total"], working=row["working"])
            if hood is not None and owner in _ids(hood.path):
                covered[owner].add(hood.pk)
    for key, model in (("raised", Contribution), ("spent", Expense)):
        rows = found.rows(model.objects.counted(), "campaign__unit", amount=Sum("amount_vnd"))
        for owners, _unit_id, row in rows:
            for owner in owners:
                totals[owner][key] += row["amount"]
    hoods = _neighbourhoods(units, day)
    return [
        Coverage(
            unit=u,
            cameras_total=totals[u.pk]["total"],
            cameras_working=totals[u.pk]["working"],
            neighbourhoods_covered=len(covered[u.pk]),
            neighbourhoods_total=hoods[u.pk][0],
            raised_vnd=totals[u.pk]["raised"],
            spent_vnd=totals[u.pk]["spent"],
            population=u.population or hoods[u.pk][1] or None,
            day=day,
        )
        for u in units
    ]


def _neighbourhoods(units: list[AdminUnit], day: dt.date) -> dict[int, tuple[int, int]]:
    """Per unit: the neighbourhoods valid on ``day`` below it, and their residents."""
    wanted = {u.pk for u in units}
    found = {u.pk: [0, 0] for u in units}
    rows = (
        AdminUnit.objects.filter(
            path_q("path", minimal_prefixes({u.path for u in units})),
            level=UnitLevel.NEIGHBOURHOOD,
        )
        .valid_on(day)
        .values_list("path", "population")
    )
    for path, population in rows:
        for owner in _ids(path) & wanted:
            found[owner][0] += 1
            found[owner][1] += population or 0
    return {pk: (count, people) for pk, (count, people) in found.items()}
