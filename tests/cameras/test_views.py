from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeward.cameras import services
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db


def test_staff_pages_render(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    campaign = make_campaign(personas["front_member"], demo_units["cam_thinh_khu1"])
    services.contribution_record(
        personas["front_member"],
        campaign=campaign,
        amount_vnd=700_000,
        date=dt.date(2024, 5, 5),
        donor_name="Hộ ông Khánh",
    )
    client = client_for("ward_officer")
    pages = [
        reverse("cameras:list"),
        reverse("cameras:detail", args=[camera.pk]),
        reverse("cameras:edit", args=[camera.pk]),
        reverse("cameras:add"),
        reverse("cameras:map"),
        reverse("cameras:coverage") + f"?unit={demo_units['cam_thinh'].pk}",
        reverse("cameras:campaigns"),
        reverse("cameras:campaign", args=[campaign.pk]),
        reverse("cameras:import"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    data = client.get(reverse("cameras:map_data")).json()
    assert data["cameras"][0]["id"] == camera.pk


def test_camera_out_of_scope_is_missing(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    client = client_for("other_ward_officer")
    assert client.get(reverse("cameras:detail", args=[camera.pk])).status_code == 404
    assert camera.pk not in [
        c["id"] for c in client.get(reverse("cameras:map_data")).json()["cameras"]
    ]


def test_map_is_never_public(client: Any) -> None:
    response = client.get(reverse("cameras:map_data"))
    assert response.status_code == 302


def test_register_form_shows_field_error(client_for: Any, demo_units: dict[str, Any]) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    response = client_for("ward_officer").post(
        reverse("cameras:add"),
        {
            "unit": unit.pk,
            "custodian_kind": "household",
            "custodian_label": "Hộ bà Yến",
            "preferred_channel": "sms",
            "latitude": 48.8,
            "longitude": 2.3,
            "bearing": 0,
            "fov": 90,
            "range_m": 30,
            "recording_mode": "continuous",
            "retention_days": 7,
            "sharing_mode": "on_request",
            "status": "working",
            "clock_offset_s": 0,
            "cost_vnd": 0,
            "consent_captured_how": "paper",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["latitude"]


def test_camera_list_query_count_does_not_grow(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = client_for("ward_officer")
    make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    client.get(reverse("cameras:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cameras:list"))
    for _ in range(5):
        make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cameras:list"))
    assert len(many) == len(few)


def test_front_member_opens_a_campaign_and_records_money(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    client = client_for("front_member")
    response = client.post(
        reverse("cameras:campaign_add"),
        {
            "unit": demo_units["cam_thinh_khu1_2025"].pk,
            "title": "Camera Khu 1",
            "goal_vnd": 30_000_000,
            "starts_on": "2026-09-01",
            "organiser_kind": "front",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    client.post(
        url,
        {
            "form": "contribution",
            "donor_name": "Hộ ông Tâm",
            "amount_vnd": 1_000_000,
            "date": "2026-09-05",
            "listing": "anonymous",
        },
    )
    refused = client.post(
        url, {"form": "expense", "kind": "cameras", "amount_vnd": -5, "date": "2026-09-06"}
    )
    assert refused.status_code == 400
    assert list(refused.context["spend_form"].errors) == ["amount_vnd"]
    page = client.get(url)
    assert page.context["raised"] == 1_000_000 and page.context["spent"] == 0
