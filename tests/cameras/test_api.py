from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.cameras.models import Camera
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_refuses_bearing_outside_range_naming_the_field(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    response = _api(personas["ward_officer"]).post(
        reverse("camera-list"),
        {
            "unit": unit.pk,
            "custodian_kind": "household",
            "custodian_label": "Hộ bà Xuân",
            "latitude": unit.centroid_lat,
            "longitude": unit.centroid_lon,
            "bearing": 400,
            "fov": 90,
            "range_m": 30,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "bearing" in response.json()["errors"]
    assert Camera.objects.count() == 0


def test_candidates_endpoint_lists_cameras_with_reasons(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1"]
    camera = make_camera(personas["ward_officer"], unit, fov=360)
    when = timezone.now() - dt.timedelta(hours=2)
    params = {"lat": camera.latitude, "lon": camera.longitude + 0.0001, "when": when.isoformat()}
    body = _api(personas["ward_officer"]).get(reverse("camera-candidates"), params).json()
    assert [c["camera"] for c in body] == [camera.pk]
    assert body[0]["reasons"]
    hidden = _api(personas["other_ward_officer"]).get(reverse("camera-candidates"), params)
    assert hidden.json() == []


def test_withdraw_consent_endpoint(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    response = _api(personas["ward_officer"]).post(
        reverse("camera-withdraw-consent", args=[camera.pk]), {}, format="json"
    )
    assert response.status_code == 200
    camera.refresh_from_db()
    assert camera.consent_active is False
