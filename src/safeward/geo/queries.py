"""Reading units across the July 2025 reorganisation.

``units_composing(U, D)``: the units valid on D that make up U (with the share
of each that went into U). ``successors_on(U, D)``: the units valid on D that U
passed into (with shares). Both walk ``UnitSuccession`` transitively.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

from safeward.core.units import Unit
from safeward.geo.models import AdminUnit, UnitSuccession

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


@dataclass(frozen=True)
class WeightedUnit:
    unit: AdminUnit
    share: float


def _predecessor_links(unit_ids: set[int]) -> dict[int, list[tuple[int, float]]]:
    links: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pred_id, succ_id, share in UnitSuccession.objects.filter(
        successor_id__in=unit_ids
    ).values_list("predecessor_id", "successor_id", "share"):
        links[succ_id].append((pred_id, share))
    return links


def _successor_links(unit_ids: set[int]) -> dict[int, list[tuple[int, float]]]:
    links: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pred_id, succ_id, share in UnitSuccession.objects.filter(
        predecessor_id__in=unit_ids
    ).values_list("predecessor_id", "successor_id", "share"):
        links[pred_id].append((succ_id, share))
    return links


def predecessor_ids(unit: Unit) -> set[int]:
    """Every unit that passed any share into ``unit``, transitively."""
    seen: set[int] = set()
    frontier = {unit.pk}
    while frontier:
        links = _predecessor_links(frontier)
        frontier = {p for items in links.values() for p, _ in items} - seen - {unit.pk}
        seen |= frontier
    return seen


def predecessor_paths(unit: Unit) -> list[str]:
    ids = predecessor_ids(unit)
    return list(AdminUnit.objects.filter(pk__in=ids).values_list("path", flat=True)) if ids else []


def units_composing(unit: AdminUnit, day: dt.date) -> list[WeightedUnit]:
    """The units valid on ``day`` that make up ``unit``, with the share each contributed."""
    return _walk(unit, day, _predecessor_links)


def successors_on(unit: AdminUnit, day: dt.date) -> list[WeightedUnit]:
    """The units valid on ``day`` that ``unit`` passed into, with the share each received."""
    return _walk(unit, day, _successor_links)


def successor_on(unit: AdminUnit, day: dt.date) -> AdminUnit | None:
    """The unit that succeeds ``unit`` on ``day`` (the one that took the largest share)."""
    found = successors_on(unit, day)
    return max(found, key=lambda w: (w.share, -w.unit.pk)).unit if found else None


def _walk(unit: AdminUnit, day: dt.date, links_of: object) -> list[WeightedUnit]:
    if unit.is_valid_on(day):
        return [WeightedUnit(unit, 1.0)]
    result: dict[int, float] = defaultdict(float)
    frontier: dict[int, float] = {unit.pk: 1.0}
    units: dict[int, AdminUnit] = {unit.pk: unit}
    for _step in range(10):  # successions never chain deeper than a handful of reforms
        if not frontier:
            break
        links = links_of(set(frontier))  # type: ignore[operator]
        next_ids = {other for items in links.values() for other, _ in items}
        units.update(AdminUnit.objects.in_bulk(next_ids - set(units)))
        nxt: dict[int, float] = defaultdict(float)
        for uid, weight in frontier.items():
            for other, share in links.get(uid, []):
                if units[other].is_valid_on(day):
                    result[other] += weight * share
                else:
                    nxt[other] += weight * share
        frontier = nxt
    return sorted(
        (WeightedUnit(units[uid], share) for uid, share in result.items()),
        key=lambda w: (-w.share, w.unit.name),
    )


class GeoUnitTree:
    """The unit tree core scopes by (:mod:`safeward.core.units`), registered by ``GeoConfig``."""

    @property
    def model(self) -> type[models.Model]:
        return AdminUnit

    def predecessor_paths(self, unit: Unit) -> list[str]:
        return predecessor_paths(unit)

    def visible_units(self, user: Viewer, *, levels: Sequence[str]) -> models.QuerySet[Any]:
        units: models.QuerySet[Any] = (
            AdminUnit.objects.restrict(user, "view")
            .filter(level__in=list(levels))
            .current()
            .order_by("path")
        )
        return units

    def succession_links(self) -> Iterable[tuple[int, int]]:
        links: Iterable[tuple[int, int]] = UnitSuccession.objects.values_list(
            "predecessor_id", "successor_id"
        )
        return links
