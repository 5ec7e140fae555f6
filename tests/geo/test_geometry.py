from __future__ import annotations

import math

from hypothesis import assume, given
from hypothesis import strategies as st

from safeward.geo.geometry import (
    angle_between,
    bearing_deg,
    haversine_m,
    in_sector,
    nearest,
    point_in_polygon,
    validate_boundary,
)

lat = st.floats(min_value=8.0, max_value=23.5, allow_nan=False)
lon = st.floats(min_value=102.0, max_value=118.0, allow_nan=False)
bearing = st.floats(min_value=0.0, max_value=359.999, allow_nan=False)


def offset(lat0: float, lon0: float, brg: float, dist_m: float) -> tuple[float, float]:
    """Destination point on the sphere (the inverse of haversine + bearing)."""
    r = 6_371_008.8
    d, b = dist_m / r, math.radians(brg)
    p1, l1 = math.radians(lat0), math.radians(lon0)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), math.degrees(l2)


@given(lat, lon, lat, lon)
def test_distance_is_symmetric_and_non_negative(a: float, b: float, c: float, d: float) -> None:
    assert haversine_m(a, b, c, d) >= 0
    assert math.isclose(
        haversine_m(a, b, c, d), haversine_m(c, d, a, b), rel_tol=1e-9, abs_tol=1e-6
    )


@given(lat, lon, lat, lon, lat, lon)
def test_distance_obeys_the_triangle_inequality(
    a: float, b: float, c: float, d: float, e: float, f: float
) -> None:
    assert haversine_m(a, b, e, f) <= haversine_m(a, b, c, d) + haversine_m(c, d, e, f) + 1e-6


@given(lat, lon, bearing, st.floats(min_value=5, max_value=5000))
def test_bearing_and_distance_recover_a_projected_point(
    a: float, b: float, brg: float, dist: float
) -> None:
    c, d = offset(a, b, brg, dist)
    assert math.isclose(haversine_m(a, b, c, d), dist, rel_tol=1e-6, abs_tol=1e-3)
    assert angle_between(bearing_deg(a, b, c, d), brg) < 0.01


@given(
    lat,
    lon,
    bearing,
    st.floats(min_value=1, max_value=359),
    st.floats(min_value=10, max_value=500),
    st.floats(min_value=0, max_value=359.999),
    st.floats(min_value=1, max_value=1000),
)
def test_sector_membership_matches_angle_and_range(
    a: float, b: float, cam_brg: float, fov: float, rng: float, pt_brg: float, dist: float
) -> None:
    assume(abs(dist - rng) > 0.05)
    assume(abs(angle_between(pt_brg, cam_brg) - fov / 2) > 0.05)
    c, d = offset(a, b, pt_brg, dist)
    expected = dist <= rng and angle_between(pt_brg, cam_brg) <= fov / 2
    assert in_sector(a, b, cam_brg, fov, rng, c, d) == expected


@given(lat, lon, bearing, st.floats(min_value=1, max_value=499))
def test_an_all_round_camera_sees_everything_in_range(
    a: float, b: float, brg: float, dist: float
) -> None:
    c, d = offset(a, b, brg, dist)
    assert in_sector(a, b, 0.0, 360.0, 500.0, c, d)


@given(st.floats(min_value=0, max_value=720), st.floats(min_value=0, max_value=720))
def test_angle_between_is_at_most_180_and_symmetric(x: float, y: float) -> None:
    assert 0 <= angle_between(x, y) <= 180
    assert math.isclose(angle_between(x, y), angle_between(y, x), abs_tol=1e-9)


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[107.0, 21.0], [107.1, 21.0], [107.1, 21.1], [107.0, 21.1], [107.0, 21.0]]],
}


@given(
    st.floats(min_value=21.0001, max_value=21.0999),
    st.floats(min_value=107.0001, max_value=107.0999),
)
def test_points_inside_a_square_are_inside(a: float, b: float) -> None:
    assert point_in_polygon(a, b, SQUARE)


@given(st.floats(min_value=21.11, max_value=22.0), lon)
def test_points_north_of_a_square_are_outside(a: float, b: float) -> None:
    assert not point_in_polygon(a, b, SQUARE)


def test_malformed_boundaries_are_named() -> None:
    assert validate_boundary(SQUARE) is None
    assert "Polygon" in (validate_boundary({"type": "Point", "coordinates": [1, 2]}) or "")
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    assert "invalid polygon" in (validate_boundary(bowtie) or "")
    assert validate_boundary("nope") == "not a JSON object"
    assert "malformed" in (validate_boundary({"type": "Polygon", "coordinates": [[1]]}) or "")


@given(st.lists(st.tuples(lat, lon), min_size=1, max_size=30), lat, lon)
def test_nearest_returns_the_minimum_distance(
    points: list[tuple[float, float]], a: float, b: float
) -> None:
    found = nearest(a, b, [(i, p[0], p[1]) for i, p in enumerate(points)])
    assert found is not None
    assert math.isclose(found[1], min(haversine_m(a, b, p[0], p[1]) for p in points))
