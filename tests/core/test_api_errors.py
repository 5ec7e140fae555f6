"""Bad input and conflicts answer a precise 4xx through the shared API mechanisms, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.cameras.models import Camera
from safeward.evidence.models import FootageRequest
from safeward.reports.models import Report
from safeward.reports.services import category_by_code, report_submit

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _camera(unit: Any, **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "custodian_kind": "household",
        "custodian_label": "Hộ bà Xuân",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
        "bearing": 90,
        "fov": 90,
        "range_m": 30,
        **extra,
    }


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "9" * 30])
def test_a_non_numeric_or_huge_id_on_an_action_route_is_a_404(
    personas: dict[str, Any], pk: str
) -> None:
    response = _api(personas["ward_officer"]).post(f"/api/v1/reports/{pk}/close/", {})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_unknown_api_url_answers_json(personas: dict[str, Any]) -> None:
    response = _api(personas["ward_officer"]).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_json_array_body_is_a_400_saying_an_object_is_expected(
    personas: dict[str, Any],
) -> None:
    response = _api(personas["ward_officer"]).post("/api/v1/cameras/", [1, 2], format="json")
    assert response.status_code == 400
    assert "đối tượng JSON" in response.json()["detail"]


def test_an_integer_past_64_bits_is_a_field_error(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    body = _camera(demo_units["cam_thinh_khu1_2025"], cost_vnd=2**70, clock_offset_s=10**25)
    response = _api(personas["ward_officer"]).post("/api/v1/cameras/", body, format="json")
    assert response.status_code == 400
    assert {"cost_vnd", "clock_offset_s"} <= set(response.json())
    assert Camera.objects.count() == 0


def test_deleting_a_report_a_footage_request_refers_to_is_a_409_naming_it(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    when = timezone.now() - dt.timedelta(hours=1)
    report = report_submit(
        None, category=category_by_code("theft"), description="Mất trộm", channel="web", unit=unit
    ).report
    FootageRequest.objects.create(
        report=report,
        unit=report.unit,
        ward=report.ward,
        latitude=21.0,
        longitude=107.3,
        incident_at=when,
        purpose="Xác minh",
        window_start=when,
        window_end=when + dt.timedelta(hours=1),
        radius_m=100,
        created_by=personas["ward_officer"],
    )
    response = _api(personas["province_admin"]).delete(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "protected"
    assert str(FootageRequest._meta.verbose_name_plural) in response.json()["detail"]
    assert Report.objects.filter(pk=report.pk).exists()


def test_unit_successions_list_for_a_ward_officer(personas: dict[str, Any]) -> None:
    response = _api(personas["ward_officer"]).get("/api/v1/unit-successions/")
    assert response.status_code == 200, response
    assert "results" in response.json()


def test_the_schema_lists_error_responses_with_the_error_body(client: Any) -> None:
    schema = client.get("/api/schema/?format=json").json()
    close = schema["paths"]["/api/v1/reports/{id}/close/"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409"} <= set(close)
    assert close["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
