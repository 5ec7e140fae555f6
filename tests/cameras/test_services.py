from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeward.cameras import services
from safeward.cameras.models import Camera, Contribution
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": 48.85, "longitude": 2.35}, "latitude"),
        ({"bearing": 361.0}, "bearing"),
        ({"bearing": -1.0}, "bearing"),
        ({"fov": 0.0}, "fov"),
        ({"fov": 361.0}, "fov"),
        ({"retention_days": -3}, "retention_days"),
        ({"cost_vnd": -1}, "cost_vnd"),
        ({"range_m": 5000}, "range_m"),
        ({"sharing_mode": "public"}, "sharing_mode"),
    ],
)
def test_register_refuses_bad_input_naming_the_field(
    personas: dict[str, Any], demo_units: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    before = Camera.objects.count()
    with pytest.raises(DomainError) as err:
        make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"], **overrides)
    assert err.value.field == field
    assert Camera.objects.count() == before


def test_register_records_consent_cell_and_audit(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    consent = camera.consents.get()
    assert consent.is_active and consent.scope == "on_request"
    assert camera.cell > 0
    assert AuditEvent.objects.filter(action="camera.register", object_id=str(camera.pk)).exists()


def test_register_outside_scope_is_denied(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        make_camera(personas["other_ward_officer"], demo_units["cam_thinh_khu1"])


def test_changing_sharing_mode_replaces_consent(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    services.camera_update(personas["ward_officer"], camera, sharing_mode="live")
    assert camera.consents.filter(withdrawn_at__isnull=True).get().scope == "live"
    assert camera.consents.count() == 2


def test_update_validates_bearing(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    with pytest.raises(DomainError) as err:
        services.camera_update(personas["ward_officer"], camera, bearing=400)
    assert err.value.field == "bearing"
    camera.refresh_from_db()
    assert camera.bearing == 90.0


def test_withdrawing_twice_is_refused(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    services.consent_withdraw(personas["ward_officer"], camera)
    with pytest.raises(DomainError):
        services.consent_withdraw(personas["ward_officer"], camera)


def test_contribution_rejects_negative_amount_and_duplicate_receipt(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    front = personas["front_member"]
    campaign = make_campaign(front, demo_units["cam_thinh_khu1"])
    with pytest.raises(DomainError) as err:
        services.contribution_record(
            front, campaign=campaign, amount_vnd=-5, date=dt.date(2024, 2, 1), donor_name="A"
        )
    assert err.value.field == "amount_vnd"
    services.contribution_record(
        front,
        campaign=campaign,
        amount_vnd=500_000,
        date=dt.date(2024, 2, 1),
        donor_name="Hộ bà Lan",
        receipt_no="R1",
    )
    with pytest.raises(DomainError) as err:
        services.contribution_record(
            front,
            campaign=campaign,
            amount_vnd=500_000,
            date=dt.date(2024, 2, 2),
            donor_name="Hộ bà Lan",
            receipt_no="R1",
        )
    assert err.value.field == "receipt_no"
    assert Contribution.objects.filter(campaign=campaign).count() == 1


def test_campaign_refuses_zero_goal(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        make_campaign(personas["front_member"], demo_units["cam_thinh_khu1"], goal_vnd=0)
    assert err.value.field == "goal_vnd"


def test_expense_refuses_negative_amount(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    front = personas["front_member"]
    campaign = make_campaign(front, demo_units["cam_thinh_khu1"])
    with pytest.raises(DomainError) as err:
        services.expense_record(
            front, campaign=campaign, kind="cameras", amount_vnd=-1, date=dt.date(2024, 3, 1)
        )
    assert err.value.field == "amount_vnd"


def test_register_refuses_a_unit_that_did_not_exist_on_the_install_date(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as err:
        make_camera(
            personas["ward_officer"],
            demo_units["cam_thinh_khu1"],
            installed_on=dt.date(2026, 1, 5),
        )
    assert err.value.field == "unit"


def test_deregister_retires_and_ends_consent(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    services.camera_deregister(personas["ward_officer"], camera)
    camera.refresh_from_db()
    assert camera.status == "retired"
    assert not camera.consents.filter(withdrawn_at__isnull=True).exists()
