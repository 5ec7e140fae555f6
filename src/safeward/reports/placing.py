"""Placing a point: the neighbourhood whose boundary holds it, else the nearest neighbourhood
centroid inside the containing ward, else the nearest ward; all among units valid on the day.

Wards and neighbourhoods are read once into a per-process index (refreshed every minute and
whenever a unit is saved in this process), so placing costs no query in the common case;
the boundaries and the units placing returns are kept there too once first read outside a
transaction (what a transaction reads may yet be rolled back).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from safeward.core.errors import DomainError
from safeward.core.instances import model_copy
from safeward.geo.choices import UnitLevel
from safeward.geo.geometry import haversine_m, nearest, point_in_polygon
from safeward.geo.land import require_on_land
from safeward.geo.models import AdminUnit

INDEX_SECONDS = 60.0


@dataclass(frozen=True)
class Spot:
    """What placing needs to know of a unit."""

    pk: int
    parent_id: int | None
    lat: float | None
    lon: float | None
    bbox: tuple[float, float, float, float] | None  # south, west, north, east; only with a boundary
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def boxes(self, lat: float, lon: float) -> bool:
        return self.bbox is not None and (
            self.bbox[0] <= lat <= self.bbox[2] and self.bbox[1] <= lon <= self.bbox[3]
        )


@dataclass
class UnitIndex:
    loaded_at: float = -1e9
    wards: list[Spot] = field(default_factory=list)
    bounded_neighbourhoods: list[Spot] = field(default_factory=list)
    neighbourhoods_of: dict[int, list[Spot]] = field(default_factory=dict)
    boundaries: dict[int, Any] = field(default_factory=dict)
    units: dict[int, AdminUnit] = field(default_factory=dict)
    valid_on: dict[tuple[str, dt.date], list[Spot]] = field(default_factory=dict)
    # Tests set this to keep what their rolled-back transaction reads; they clear the index after.
    keep_uncommitted: bool = False

    def may_keep(self) -> bool:
        return self.keep_uncommitted or not connection.in_atomic_block

    def valid(self, kind: str, day: dt.date) -> list[Spot]:
        """The wards (``kind="wards"``) or bounded neighbourhoods valid on ``day``, kept per day."""
        found = self.valid_on.get((kind, day))
        if found is None:
            spots = self.wards if kind == "wards" else self.bounded_neighbourhoods
            found = self.valid_on[(kind, day)] = [s for s in spots if s.valid_on(day)]
        return found


_index = UnitIndex()


def clear_index(**_kwargs: Any) -> None:
    _index.loaded_at = -1e9


def _spot(row: tuple[Any, ...]) -> Spot:
    pk, parent_id, lat, lon, s, w, n, e, has_boundary, vfrom, vto = row
    bbox = (s, w, n, e) if has_boundary and s is not None else None
    return Spot(pk, parent_id, lat, lon, bbox, vfrom, vto)


def unit_index() -> UnitIndex:
    if time.monotonic() - _index.loaded_at < INDEX_SECONDS:
        return _index
    rows = AdminUnit.objects.filter(level__in=[UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD]).values_list(
        "level", "pk", "parent_id", "centroid_lat", "centroid_lon",
        "bbox_south", "bbox_west", "bbox_north", "bbox_east", "boundary__isnull",
        "valid_from", "valid_to",
    )  # fmt: skip
    wards: list[Spot] = []
    bounded: list[Spot] = []
    children: defaultdict[int, list[Spot]] = defaultdict(list)
    for level, *rest in rows:
        rest[8] = not rest[8]  # "boundary is null" -> "has a boundary"
        spot = _spot(tuple(rest))
        if level == UnitLevel.WARD:
            wards.append(spot)
            continue
        children[spot.parent_id or 0].append(spot)
        if spot.bbox:
            bounded.append(spot)
    _index.wards, _index.bounded_neighbourhoods = wards, bounded
    _index.neighbourhoods_of = dict(children)
    _index.boundaries, _index.units, _index.valid_on = {}, {}, {}
    _index.loaded_at = time.monotonic()
    return _index


def check_point(latitude: float, longitude: float) -> None:
    """Refuse coordinates off the globe, abroad, or at sea beyond the coast and islands."""
    require_on_land(latitude, longitude, field="lat")


def _containing(spots: list[Spot], lat: float, lon: float, day: dt.date) -> int | None:
    boxed = [s.pk for s in spots if s.valid_on(day) and s.boxes(lat, lon)]
    if not boxed:
        return None
    boundaries = _index.boundaries
    missing = [pk for pk in boxed if pk not in boundaries]
    if missing:
        rows = dict(AdminUnit.objects.filter(pk__in=missing).values_list("pk", "boundary"))
        if not _index.may_keep():
            boundaries = {**boundaries, **rows}
        else:
            boundaries.update(rows)
    for pk in boxed:
        boundary = boundaries.get(pk)
        if boundary and point_in_polygon(lat, lon, boundary):
            return pk
    return None


def _nearest(spots: list[Spot], lat: float, lon: float, day: dt.date) -> int | None:
    found = nearest(
        lat,
        lon,
        (
            (s.pk, s.lat, s.lon)
            for s in spots
            if s.valid_on(day) and s.lat is not None and s.lon is not None
        ),
    )
    return int(found[0]) if found else None


def place_point(latitude: float, longitude: float, day: dt.date) -> AdminUnit:
    """The neighbourhood (or ward) valid on ``day`` where the point lies."""
    check_point(latitude, longitude)
    index = unit_index()
    found = _containing(index.valid("neighbourhoods", day), latitude, longitude, day)
    if found is None:
        wards = index.valid("wards", day)
        ward = _containing(wards, latitude, longitude, day)
        if ward is not None:
            children = index.neighbourhoods_of.get(ward, [])
            found = _nearest(children, latitude, longitude, day) or ward
        else:
            found = _nearest_served(wards, latitude, longitude, day)
    if found is None:
        raise DomainError(_("No ward is known near this place."), field="lat", code="unplaced")
    return placed_unit(found)


def _nearest_served(spots: list[Spot], lat: float, lon: float, day: dt.date) -> int | None:
    """The nearest ward, if the point lies within the area this server's wards cover."""
    found = _nearest(spots, lat, lon, day)
    if found is None:
        return None
    spot = next(s for s in spots if s.pk == found)
    km = haversine_m(lat, lon, spot.lat or 0.0, spot.lon or 0.0) / 1000
    if km > settings.SAFEWARD_SERVED_RADIUS_KM:
        raise DomainError(
            _(
                "This place is outside the area served here: the nearest ward, {ward}, is "
                "{km} km away."
            ).format(ward=placed_unit(found).name, km=f"{km:.0f}"),
            field="lat",
            code="outside_area",
        )
    return found


def misplaced_choice(unit: AdminUnit, latitude: float, longitude: float, day: dt.date) -> Any:
    """The ward the point is plainly in when that is not the chosen ``unit``'s ward, else None.

    Units carry no boundaries yet, so "plainly" means the chosen ward's centre is more than
    twice as far, and 2 km farther, than the centre of the ward the point is placed in.
    """
    chosen = ward_of(unit)
    placed = ward_of(place_point(latitude, longitude, day))
    if placed.pk == chosen.pk or chosen.centroid_lat is None or chosen.centroid_lon is None:
        return None
    if chosen.boundary and point_in_polygon(latitude, longitude, chosen.boundary):
        return None
    to_chosen = haversine_m(latitude, longitude, chosen.centroid_lat, chosen.centroid_lon)
    to_placed = haversine_m(
        latitude, longitude, placed.centroid_lat or latitude, placed.centroid_lon or longitude
    )
    plainly = to_chosen > 2 * to_placed and to_chosen - to_placed > 2000
    return placed if plainly or (chosen.boundary and placed.boundary) else None


def placed_unit(pk: int) -> AdminUnit:
    """The unit with its parent, a copy of the one kept in the index (read on first use)."""
    kept = _index.units.get(pk)
    if kept is None:
        kept = AdminUnit.objects.select_related("parent").get(pk=pk)
        if _index.may_keep():
            _index.units[pk] = kept
    unit = model_copy(kept)
    unit.parent = model_copy(kept.parent) if kept.parent_id and kept.parent else None
    return unit


def ward_of(unit: AdminUnit) -> AdminUnit:
    """The ward a unit belongs to (itself when it is a ward)."""
    if unit.level == UnitLevel.WARD:
        return unit
    if unit.level == UnitLevel.NEIGHBOURHOOD and unit.parent_id:
        return unit.parent  # type: ignore[return-value]
    raise DomainError(
        _("A report belongs to a ward or a neighbourhood, not to {unit}.").format(unit=unit),
        field="unit",
        code="bad_unit",
    )
