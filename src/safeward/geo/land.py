"""Land and sea: is a point on Vietnam's land, on its coast, at sea, or abroad?

The geometry is Natural Earth's 1:10m Admin 0 countries (public domain), installed from the
npm registry as ``world-atlas`` and turned into GeoJSON by ``topojson-client`` when the assets
are built (``make assets`` runs ``python -m safeward.geo.land build``). Two files come out:

- ``vietnam-land.geojson``: Vietnam's land, with the Hoàng Sa and Trường Sa archipelagos
  (Natural Earth draws de facto control; Vietnamese law counts them as Vietnam's
  territory), used to validate every point people enter;
- ``region-land.geojson``: the land of the neighbouring countries, simplified; maps draw it
  and Vietnam's land over a sea-coloured background when no tile server is configured.

Natural Earth at 1:10m leaves out many islets (Hạ Long Bay has about two thousand, and whole
island communes such as Thanh Lân and Ngọc Vừng), so a point counts as coastal when it lies
within ``SAFEWARD_COAST_MARGIN_KM`` of the coast (piers, the shore's error at this scale) or
within ``SAFEWARD_PLACE_RADIUS_KM`` of the centre of a unit this server knows (the inhabited
islands the map leaves out). A point 25 km out in the Gulf of Tonkin is near neither.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from shapely import make_valid, set_precision
from shapely.geometry import Point, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import PreparedGeometry, prep

from safeward.core.errors import DomainError
from safeward.geo.geometry import VIETNAM_BBOX

KM_PER_DEGREE = 111.32
VIETNAM_ID = "704"
# Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos: west, south, east, north.
ARCHIPELAGOS = [(111.0, 15.6, 113.0, 17.3), (111.3, 6.0, 117.9, 12.2)]
REGION = (96.0, 2.0, 124.0, 28.0)  # west, south, east, north of what maps draw
VIETNAM_FILE = "vietnam-land.geojson"
REGION_FILE = "region-land.geojson"


@dataclass(frozen=True)
class Land:
    """Vietnam's land, prepared for fast point tests, and the same grown by the coastal margin."""

    land: BaseGeometry
    on_land: PreparedGeometry
    coastal: PreparedGeometry
    margin_km: float


def land_dir() -> Path:
    return Path(settings.SAFEWARD_LAND_DIR)


@lru_cache(maxsize=1)
def vietnam_land() -> Land:
    path = land_dir() / VIETNAM_FILE
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: build the map data with `make assets` "
            "(python -m safeward.geo.land build)."
        )
    geometry = shape(json.loads(path.read_text())["geometry"])
    margin = float(settings.SAFEWARD_COAST_MARGIN_KM)
    grown = geometry.buffer(margin / KM_PER_DEGREE, quad_segs=4)
    return Land(geometry, prep(geometry), prep(grown), margin)


_places: dict[tuple[int, int], PreparedGeometry] = {}


def _unit_places() -> PreparedGeometry:
    """Discs around every unit centre, rebuilt whenever units are added or removed."""
    from django.db.models import Count, Max

    from safeward.geo.models import AdminUnit

    stats = AdminUnit.objects.aggregate(n=Count("pk"), top=Max("pk"))
    key = (stats["n"] or 0, stats["top"] or 0)
    found = _places.get(key)
    if found is None:
        radius = float(settings.SAFEWARD_PLACE_RADIUS_KM) / KM_PER_DEGREE
        centres = AdminUnit.objects.exclude(centroid_lat=None).exclude(centroid_lon=None)
        discs = [
            Point(lon, lat).buffer(radius, quad_segs=8)
            for lat, lon in centres.values_list("centroid_lat", "centroid_lon")
        ]
        _places.clear()
        found = _places[key] = prep(unary_union(discs))
    return found


def sea_distance_km(lat: float, lon: float) -> float:
    """How far the point is from Vietnam's land, in kilometres (0 on land)."""
    land = vietnam_land()
    point = Point(lon, lat)
    if land.on_land.contains(point):
        return 0.0
    return float(land.land.distance(point)) * KM_PER_DEGREE


def require_on_land(lat: float, lon: float, *, field: str) -> None:
    """Refuse a point abroad or at sea beyond the coastal margin, saying which and how far."""
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise DomainError(_("The coordinates are not valid."), field=field, code="bad_point")
    south, west, north, east = VIETNAM_BBOX
    land = vietnam_land()
    inside_box = south <= lat <= north and west <= lon <= east
    point = Point(lon, lat)
    if inside_box and (land.coastal.contains(point) or _unit_places().contains(point)):
        return
    distance = sea_distance_km(lat, lon)
    if distance > 50 or not inside_box:
        raise DomainError(
            _("This place is outside Vietnam (latitude {lat}, longitude {lon}).").format(
                lat=round(lat, 5), lon=round(lon, 5)
            ),
            field=field,
            code="outside",
        )
    raise DomainError(
        _(
            "This place is at sea, {km} km from Vietnam's coast. Move the pin onto land, or "
            "within {margin} km of the coast for islands and piers."
        ).format(km=f"{distance:.1f}", margin=f"{land.margin_km:g}"),
        field=field,
        code="at_sea",
    )


# --- building the data files from the npm package -------------------------------------------
def _features(countries: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in countries["features"] if f.get("geometry")]


def _shape(feature: dict[str, Any]) -> BaseGeometry:
    # Quantised TopoJSON leaves some rings touching themselves; GEOS needs them valid.
    return make_valid(shape(feature["geometry"]))


def build_vietnam(countries: dict[str, Any]) -> BaseGeometry:
    vietnam = [_shape(f) for f in _features(countries) if f.get("id") == VIETNAM_ID]
    if not vietnam:
        raise ValueError("The countries file has no Vietnam (id 704).")
    islands = [
        _shape(f).intersection(box(*area))
        for f in _features(countries)
        for area in ARCHIPELAGOS
        if _shape(f).intersects(box(*area))
    ]
    return unary_union([*vietnam, *islands])


def build_region(countries: dict[str, Any]) -> BaseGeometry:
    """The land around Vietnam, simplified to about a kilometre (maps draw Vietnam in full)."""
    area = box(*REGION)
    vietnam = build_vietnam(countries)
    parts = [
        _shape(f).intersection(area).difference(vietnam)
        for f in _features(countries)
        if f.get("id") != VIETNAM_ID and _shape(f).intersects(area)
    ]
    return unary_union(parts).simplify(0.01, preserve_topology=True)


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Only the areas of a clipped geometry (clipping leaves stray lines and points)."""
    parts = getattr(geometry, "geoms", [geometry])
    areas = [p for part in parts for p in getattr(part, "geoms", [part]) if p.area > 0]
    return unary_union(areas)


def _write(path: Path, geometry: BaseGeometry, name: str, grid: float) -> None:
    """Write the areas of ``geometry`` with coordinates snapped to ``grid`` degrees.

    Natural Earth's 1:10m data is accurate to a few hundred metres, so digits past the
    fourth decimal (about 11 m) only add weight to every page that draws a map.
    """
    geometry = _polygons(set_precision(_polygons(geometry), grid))
    feature = {
        "type": "Feature",
        "properties": {"name": name, "source": "Natural Earth 1:10m (public domain)"},
        "geometry": mapping(geometry),
    }
    path.write_text(json.dumps(feature, separators=(",", ":")))


def build(countries_file: Path, out_dir: Path) -> None:
    countries = json.loads(countries_file.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / VIETNAM_FILE, build_vietnam(countries), "Vietnam", grid=1e-4)
    _write(out_dir / REGION_FILE, build_region(countries), "land", grid=1e-3)


if __name__ == "__main__":  # python -m safeward.geo.land build COUNTRIES.geojson OUT_DIR
    if len(sys.argv) != 4 or sys.argv[1] != "build":
        sys.exit("usage: python -m safeward.geo.land build COUNTRIES.geojson OUT_DIR")
    build(Path(sys.argv[2]), Path(sys.argv[3]))
