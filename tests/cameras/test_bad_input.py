"""The bad input the issue lists for cameras and funding: a precise message, nothing stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from safeward.cameras import services
from safeward.cameras.models import Camera, Campaign, ConsentRecord, Contribution, Expense
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _stored() -> tuple[int, ...]:
    return (
        Camera.objects.count(),
        ConsentRecord.objects.count(),
        Campaign.objects.count(),
        Contribution.objects.count(),
        Expense.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"latitude": 48.85, "longitude": 2.35},
            "latitude",
            "This place is outside Vietnam (latitude 48.85, longitude 2.35).",
        ),
        (
            {"latitude": 1.29, "longitude": 103.85},
            "latitude",
            "This place is outside Vietnam (latitude 1.29, longitude 103.85).",
        ),
        ({"bearing": 361.0}, "bearing", "Bearing must be between 0 and 360 degrees, not 361.0."),
        ({"bearing": -1.0}, "bearing", "Bearing must be between 0 and 360 degrees, not -1.0."),
        (
            {"fov": 0.0},
            "fov",
            "Field of view must be above 0 and at most 360 degrees, not 0.0.",
        ),
        (
            {"fov": 361.0},
            "fov",
            "Field of view must be above 0 and at most 360 degrees, not 361.0.",
        ),
        ({"retention_days": -3}, "retention_days", "Retention (days) cannot be negative (-3)."),
        ({"cost_vnd": -1}, "cost_vnd", "Cost (VND) cannot be negative (-1)."),
    ],
)
def test_camera_refusals(
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = _stored()
    with pytest.raises(DomainError) as err:
        make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"], **overrides)
    assert (err.value.field, err.value.message) == (field, message)
    assert _stored() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bearing": 400}, "Bearing must be between 0 and 360 degrees, not 400."),
        ({"fov": 0}, "Field of view must be above 0 and at most 360 degrees, not 0."),
        ({"latitude": 35.0}, "This place is outside Vietnam (latitude 35.0, longitude 107.3205)."),
        ({"retention_days": -1}, "Retention (days) cannot be negative (-1)."),
    ],
)
def test_camera_update_refusals_leave_the_camera_as_it_was(
    personas: dict[str, Any], demo_units: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    camera = make_camera(
        personas["ward_officer"], demo_units["cam_thinh_khu1"], latitude=21.0125, longitude=107.3205
    )
    before = _stored()
    with pytest.raises(DomainError) as err:
        services.camera_update(personas["ward_officer"], camera, **changes)
    assert err.value.message == message
    fresh = Camera.objects.get(pk=camera.pk)
    assert (fresh.bearing, fresh.fov, fresh.latitude, fresh.retention_days) == (
        90.0,
        90.0,
        21.0125,
        7,
    )
    assert _stored() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [(-5, "Amount (VND) must be more than 0 (-5)."), (0, "Amount (VND) must be more than 0 (0).")],
)
def test_money_refusals(
    personas: dict[str, Any], demo_units: dict[str, Any], amount: int, message: str
) -> None:
    front = personas["front_member"]
    campaign = make_campaign(front, demo_units["cam_thinh_khu1"])
    before = _stored()
    with pytest.raises(DomainError) as gift:
        services.contribution_record(
            front, campaign=campaign, amount_vnd=amount, date=dt.date(2024, 2, 1), donor_name="A"
        )
    with pytest.raises(DomainError) as spend:
        services.expense_record(
            front, campaign=campaign, kind="cameras", amount_vnd=amount, date=dt.date(2024, 2, 1)
        )
    assert gift.value.message == spend.value.message == message
    assert gift.value.field == spend.value.field == "amount_vnd"
    with pytest.raises(DomainError) as goal:
        make_campaign(front, demo_units["cam_thinh_khu1"], goal_vnd=amount)
    assert goal.value.message == message.replace("Amount", "Goal")
    assert _stored() == before


def test_the_register_form_shows_the_message_in_the_users_language(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    response = client_for("ward_officer").post(
        reverse("cameras:add"),
        {
            "unit": demo_units["cam_thinh_khu1_2025"].pk,
            "custodian_kind": "household",
            "custodian_label": "Hộ bà Yến",
            "preferred_channel": "sms",
            "latitude": 21.01,
            "longitude": 107.32,
            "bearing": 0,
            "fov": 0,
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
    with translation.override("vi"):
        expected = gettext(
            "Field of view must be above 0 and at most 360 degrees, not {value}."
        ).format(value=0.0)
    assert expected.startswith("Góc")
    assert response.context["form"].errors["fov"] == [expected]
    assert Camera.objects.count() == 0


def test_the_api_names_the_field_and_says_why(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    api = APIClient()
    api.force_authenticate(personas["ward_officer"])
    response = api.post(
        reverse("camera-list"),
        {
            "unit": unit.pk,
            "custodian_kind": "household",
            "custodian_label": "Hộ bà Xuân",
            "latitude": 21.01,
            "longitude": 107.32,
            "retention_days": -2,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "retention_days": ["Retention (days) cannot be negative (-2)."]
    }
    assert Camera.objects.count() == 0 and ConsentRecord.objects.count() == 0
