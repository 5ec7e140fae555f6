"""Places on land, in the jurisdiction: real coastline and border data, refused with reasons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import translation

from safeward.core.errors import DomainError
from safeward.geo.land import REGION_FILE, require_on_land, sea_distance_km
from safeward.geo.models import AdminUnit
from safeward.reports.services import category_by_code, report_submit
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db

HAINAN = (19.20, 109.70)  # Hainan island, China
OFF_CUA_ONG = (20.83, 107.55)  # open sea in the Gulf of Tonkin, about 25 km off Cửa Ông
CO_TO_TOWN = (20.9726, 107.7641)
HOANG_SA = (16.83, 112.33)  # Hoàng Sa archipelago (Đà Nẵng), far from Quảng Ninh


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def submit(**kw: Any) -> Any:
    return report_submit(
        None, category=category_by_code("theft"), description="Mất trộm", channel="web", **kw
    )


def test_a_point_in_china_is_refused_as_outside_vietnam() -> None:
    with pytest.raises(DomainError) as err:
        submit(latitude=HAINAN[0], longitude=HAINAN[1])
    assert err.value.code == "outside"
    assert "outside Vietnam" in err.value.message


def test_a_point_far_out_at_sea_is_refused_with_its_distance() -> None:
    with pytest.raises(DomainError) as err:
        submit(latitude=OFF_CUA_ONG[0], longitude=OFF_CUA_ONG[1])
    assert err.value.code == "at_sea"
    km = sea_distance_km(*OFF_CUA_ONG)
    assert km > 5
    assert f"{km:.1f} km" in err.value.message


def test_an_island_town_is_accepted_and_placed_there() -> None:
    report = submit(latitude=CO_TO_TOWN[0], longitude=CO_TO_TOWN[1]).report
    ward = report.unit if report.unit.level == "ward" else report.unit.parent
    assert "Cô Tô" in ward.name


def test_island_communes_the_coastline_leaves_out_are_still_land() -> None:
    thanh_lan = AdminUnit.objects.filter(name="Xã Thanh Lân").first()
    assert thanh_lan is not None
    assert sea_distance_km(thanh_lan.centroid_lat, thanh_lan.centroid_lon) > 5
    require_on_land(thanh_lan.centroid_lat, thanh_lan.centroid_lon, field="lat")


def test_every_known_unit_centre_counts_as_land() -> None:
    refused = []
    for unit in AdminUnit.objects.exclude(centroid_lat=None):
        try:
            require_on_land(unit.centroid_lat, unit.centroid_lon, field="lat")
        except DomainError:
            refused.append(unit.name)
    assert refused == []


def test_vietnamese_islands_far_from_this_province_are_outside_the_area_served() -> None:
    require_on_land(*HOANG_SA, field="lat")
    with pytest.raises(DomainError) as err:
        submit(latitude=HOANG_SA[0], longitude=HOANG_SA[1])
    assert err.value.code == "outside_area"
    assert "km away" in err.value.message


def test_a_pin_plainly_in_another_ward_names_the_right_one(demo_units: dict[str, Any]) -> None:
    cua_ong = demo_units["cua_ong"]
    bai_chay = demo_units["bai_chay"]
    with pytest.raises(DomainError) as err:
        submit(unit=cua_ong, latitude=bai_chay.centroid_lat, longitude=bai_chay.centroid_lon)
    assert err.value.code == "other_unit"
    assert bai_chay.name in err.value.message and cua_ong.name in err.value.message


def test_a_pin_inside_the_chosen_ward_is_kept_there(demo_units: dict[str, Any]) -> None:
    cua_ong = demo_units["cua_ong"]
    report = submit(unit=cua_ong, latitude=cua_ong.centroid_lat, longitude=cua_ong.centroid_lon)
    assert report.report.unit_id == cua_ong.pk


def test_a_camera_at_sea_is_refused(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        make_camera(
            personas["ward_officer"],
            demo_units["cam_thinh_khu1"],
            latitude=OFF_CUA_ONG[0],
            longitude=OFF_CUA_ONG[1],
        )
    assert err.value.field == "latitude" and "at sea" in err.value.message


def test_the_maps_draw_land_from_the_local_file(client_for: Any) -> None:
    path = finders.find(f"vendor/geo/{REGION_FILE}")
    assert path is not None
    with open(path) as handle:
        land = json.load(handle)
    assert land["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    page = client_for("ward_officer").get("/reports/map/")
    html = page.content.decode()
    assert static("web/basemap.js") in html  # hashed once static files are collected
    assert static(f"vendor/geo/{REGION_FILE}") in html
    assert settings.SAFEWARD_MAP_TILE_URL == ""
