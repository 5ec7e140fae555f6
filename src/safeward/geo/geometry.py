"""Plane and sphere helpers: distance, bearing, camera sectors, polygons, nearest unit."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from shapely.geometry import Point, shape

EARTH_RADIUS_M = 6_371_008.8

# Vietnam's extent with its islands, used to refuse points that are obviously elsewhere.
VIETNAM_BBOX = (8.18, 102.14, 23.40, 117.84)  # south, west, north, east


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from point 1 to point 2, degrees clockwise from north in [0, 360)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def angle_between(a: float, b: float) -> float:
    """Smallest absolute difference between two bearings, in [0, 180]."""
    d = abs(a - b) % 360.0
    return 360.0 - d if d > 180.0 else d


def in_sector(
    cam_lat: float,
    cam_lon: float,
    bearing: float,
    fov: float,
    range_m: float,
    lat: float,
    lon: float,
) -> bool:
    """Is the point inside the view of a camera at (cam_lat, cam_lon) facing ``bearing``?

    ``fov`` is the full field of view in degrees (360 for an all-round camera);
    the edges count as inside. A point at the camera itself is always seen.
    """
    distance = haversine_m(cam_lat, cam_lon, lat, lon)
    if distance > range_m:
        return False
    if fov >= 360.0 or distance < 0.01:
        return True
    return angle_between(bearing_deg(cam_lat, cam_lon, lat, lon), bearing) <= fov / 2.0 + 1e-9


def point_in_polygon(lat: float, lon: float, geojson: dict[str, Any]) -> bool:
    """Is the point inside (or on the edge of) a GeoJSON Polygon/MultiPolygon (lon, lat order)."""
    geometry = geojson.get("geometry", geojson) if geojson.get("type") == "Feature" else geojson
    return bool(shape(geometry).covers(Point(lon, lat)))


def validate_boundary(geojson: Any) -> str | None:
    """None when ``geojson`` is a valid Polygon/MultiPolygon, else what is wrong with it."""
    if not isinstance(geojson, dict):
        return "not a JSON object"
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        return "the geometry type must be Polygon or MultiPolygon"
    try:
        shp = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed input
        return f"malformed coordinates ({exc.__class__.__name__})"
    if shp.is_empty:
        return "the polygon is empty"
    if not shp.is_valid:
        from shapely.validation import explain_validity

        return f"invalid polygon: {explain_validity(shp)}"
    west, south, east, north = shp.bounds
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        return "coordinates out of range (GeoJSON is longitude, latitude)"
    return None


def boundary_centroid_bbox(geojson: dict[str, Any]) -> tuple[float, float, tuple[float, ...]]:
    geometry = geojson.get("geometry", geojson) if geojson.get("type") == "Feature" else geojson
    shp = shape(geometry)
    c = shp.representative_point() if not shp.centroid.within(shp) else shp.centroid
    west, south, east, north = shp.bounds
    return c.y, c.x, (south, west, north, east)


def in_vietnam(lat: float, lon: float) -> bool:
    south, west, north, east = VIETNAM_BBOX
    return south <= lat <= north and west <= lon <= east


def nearest(
    lat: float, lon: float, candidates: Iterable[tuple[Any, float, float]]
) -> tuple[Any, float] | None:
    """The candidate ``(obj, lat, lon)`` closest to the point, with its distance in metres."""
    best: tuple[Any, float] | None = None
    for obj, clat, clon in candidates:
        d = haversine_m(lat, lon, clat, clon)
        if best is None or d < best[1]:
            best = (obj, d)
    return best
