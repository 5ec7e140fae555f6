"""The REST API: intake with Idempotency-Key, errors in the user's language, actions, filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from safeward.core.models import AuditEvent
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(demo_units: dict[str, Any], **extra: Any) -> dict[str, Any]:
    unit = demo_units["cam_thinh_khu1_2025"]
    return {
        "category": "theft",
        "description": "Mất xe đạp",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
        **extra,
    }


def test_api_path_is_under_v1() -> None:
    assert reverse("report-list") == URL


def test_retried_post_with_same_idempotency_key_is_stored_once(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["ward_officer"])
    body = payload(demo_units)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and first.json()["secret"]
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["secret"] is None
    assert Report.objects.filter(tracking_code=first.json()["tracking_code"]).count() == 1


def test_unknown_category_is_a_404_naming_the_field(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    response = api(personas["ward_officer"]).post(
        URL, payload(demo_units, category="ufo"), format="json"
    )
    # A code naming no category reads like any record that does not exist.
    assert response.status_code == 404
    assert "category" in response.json()["errors"]


def test_errors_come_in_the_users_language(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    response = api(personas["ward_officer"]).post(
        URL,
        payload(demo_units, latitude=48.8, longitude=2.3),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Vietnam" in response.json()["detail"]


def test_malformed_coordinates_are_a_400(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    response = api(personas["ward_officer"]).post(
        URL, payload(demo_units, latitude="north"), format="json"
    )
    assert response.status_code == 400
    assert "latitude" in response.json()


def test_officer_resolves_through_the_api(personas: dict[str, Any], report: Report) -> None:
    client = api(personas["ward_officer"])
    response = client.post(
        f"{URL}{report.pk}/resolve/",
        {"outcome": "unfounded", "public_note": "Không có vi phạm"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "resolved"


def test_reporter_endpoint_is_audited(personas: dict[str, Any], submit: Any) -> None:
    report = submit(reporter={"name": "Mai", "anonymous": False}).report
    response = api(personas["ward_officer"]).get(f"{URL}{report.pk}/reporter/")
    assert response.json()["name"] == "Mai"
    assert AuditEvent.objects.filter(
        action="reports.view_reporter", object_id=str(report.pk), sensitive_read=True
    ).exists()


def test_front_member_cannot_see_the_reporter(personas: dict[str, Any], submit: Any) -> None:
    report = submit(reporter={"name": "Mai", "anonymous": False}).report
    response = api(personas["front_member"]).get(f"{URL}{report.pk}/reporter/")
    assert response.status_code == 403


def test_overdue_filter_lists_only_overdue_reports(personas: dict[str, Any], submit: Any) -> None:
    late, fresh = submit().report, submit().report
    Report.objects.filter(pk=late.pk).update(due_on="2026-01-01")
    response = api(personas["ward_officer"]).get(URL, {"overdue": "1", "page_size": 500})
    ids = {row["id"] for row in response.json()["results"]}
    assert late.pk in ids and fresh.pk not in ids


def test_list_query_count_does_not_grow_with_rows(
    personas: dict[str, Any], submit: Any, django_assert_max_num_queries: Any
) -> None:
    for _i in range(5):
        submit()
    client = api(personas["ward_officer"])
    # The page, plus the handling permission's scope (4 when not cached) and the one audit
    # event of the officer's look at the addresses and internal notes.
    with django_assert_max_num_queries(12):
        client.get(URL, {"page_size": 50})


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "Việt Nam"), ("ar", "فيتنام"), ("en", "Vietnam")]
)
def test_error_is_translated_for_each_language(
    personas: dict[str, Any], demo_units: dict[str, Any], language: str, expected: str
) -> None:
    response = api(personas["ward_officer"]).post(
        URL,
        payload(demo_units, latitude=48.8, longitude=2.3),
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert expected in response.json()["detail"]
