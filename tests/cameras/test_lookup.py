from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeward.cameras import services
from safeward.cameras.grid import MAX_RANGE_M, grid_cell, neighbour_cells
from safeward.cameras.lookup import camera_candidates_for_point
from safeward.geo.geometry import haversine_m

pytestmark = pytest.mark.django_db

from tests.cameras.factories import make_camera  # noqa: E402

LAT, LON = 21.0125, 107.3205
NOW = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)
WHEN = NOW - dt.timedelta(days=1)
# About 20 m east of the camera point.
EAST = (LAT, LON + 0.0002)


def _cam(personas: dict[str, Any], demo_units: dict[str, Any], **kw: Any) -> Any:
    return make_camera(
        personas["ward_officer"], demo_units["cam_thinh_khu1"], latitude=LAT, longitude=LON, **kw
    )


def _ids(point: tuple[float, float], when: dt.datetime = WHEN) -> list[int]:
    return [c.camera.pk for c in camera_candidates_for_point(*point, when, now=NOW)]


def test_camera_facing_the_point_qualifies_with_reasons(personas, demo_units) -> None:
    camera = _cam(personas, demo_units, bearing=90, fov=60)
    [found] = camera_candidates_for_point(*EAST, WHEN, now=NOW)
    assert found.camera == camera
    assert 15 < found.distance_m < 25
    assert found.kept_until == WHEN + dt.timedelta(days=7)
    assert len(found.reasons) == 4


def test_camera_facing_away_does_not(personas, demo_units) -> None:
    _cam(personas, demo_units, bearing=270, fov=60)
    assert _ids(EAST) == []


def test_all_round_camera_sees_every_direction(personas, demo_units) -> None:
    camera = _cam(personas, demo_units, bearing=270, fov=360)
    assert _ids(EAST) == [camera.pk]


def test_out_of_range_point_is_left_out(personas, demo_units) -> None:
    _cam(personas, demo_units, bearing=90, fov=60, range_m=10)
    assert _ids(EAST) == []


def test_overwritten_footage_is_left_out(personas, demo_units) -> None:
    _cam(personas, demo_units, retention_days=3)
    assert _ids(EAST, NOW - dt.timedelta(days=4)) == []


def test_registry_only_broken_and_withdrawn_cameras_are_left_out(personas, demo_units) -> None:
    officer = personas["ward_officer"]
    _cam(personas, demo_units, sharing_mode="registry")
    _cam(personas, demo_units, status="broken")
    withdrawn = _cam(personas, demo_units)
    services.consent_withdraw(officer, withdrawn)
    assert _ids(EAST) == []


def test_camera_installed_after_the_incident_is_left_out(personas, demo_units) -> None:
    make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1_2025"],
        latitude=LAT,
        longitude=LON,
        installed_on=dt.date(2026, 11, 29),
    )
    assert _ids(EAST) == []


def test_results_are_ordered_by_distance(personas, demo_units) -> None:
    far = _cam(personas, demo_units, fov=360, range_m=100)
    near = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=LAT,
        longitude=LON + 0.0001,
        fov=360,
    )
    assert _ids(EAST) == [near.pk, far.pk]


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(8.5, 23.3),
    lon=st.floats(102.2, 117.8),
    dlat=st.floats(-0.0045, 0.0045),
    dlon=st.floats(-0.0048, 0.0048),
)
def test_any_point_within_max_range_lies_in_the_neighbour_cells(
    lat: float, lon: float, dlat: float, dlon: float
) -> None:
    other = (lat + dlat, lon + dlon)
    if haversine_m(lat, lon, *other) <= MAX_RANGE_M:
        assert grid_cell(*other) in neighbour_cells(lat, lon)
