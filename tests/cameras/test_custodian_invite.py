"""A custodian is invited, opens a resident account tied to the camera, sees its log, withdraws."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from rest_framework.test import APIClient

from safeward.accounts.models import User
from safeward.cameras.models import Camera, CustodianInvite
from safeward.core.audit import AuditEvent
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db
IMMEDIATE = {"TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}}
PASSWORD = "Camera-custodian-2026"


@pytest.fixture
def camera(personas: dict[str, Any], demo_units: dict[str, Any]) -> Camera:
    return make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])


def invite_by_page(client_for: Any, camera: Camera, capture: Any, contact: str) -> str:
    with override_settings(**IMMEDIATE), capture(execute=True):
        page = client_for("ward_officer").post(
            f"/cameras/{camera.pk}/invite/", {"contact": contact}
        )
    assert page.status_code == 200, page
    link = re.search(r'value="(http[^"]+/cameras/custodian/[^"]+/)"', page.content.decode())
    assert link is not None, page.content.decode()
    return link.group(1)


def test_the_custodian_gets_a_link_and_opens_a_resident_account(
    client_for: Any,
    camera: Camera,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    link = invite_by_page(client_for, camera, django_capture_on_commit_callbacks, "an@example.vn")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]
    assert link.split("testserver")[-1] in mail.outbox[0].body
    path = link.split("testserver")[-1]
    visitor = Client()
    page = visitor.get(path)
    assert camera.custodian_label in page.content.decode()
    done = visitor.post(
        path, {"username": "chu_camera_an", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert done["Location"].endswith("/evidence/my-cameras/")
    user = User.objects.get(username="chu_camera_an")
    camera.refresh_from_db()
    assert camera.custodian_user == user and user.email == "an@example.vn"
    assert user.assignments.get().role.code == "resident"
    mine = visitor.get("/evidence/my-cameras/").content.decode()
    assert f"#{camera.pk} {camera.custodian_label}" in mine
    assert AuditEvent.objects.filter(action="camera.custodian_accept").exists()
    # The link works once.
    again = Client().get(path)
    assert again.status_code == 404


def test_the_custodian_withdraws_consent_from_their_page(
    client_for: Any, camera: Camera, personas: dict[str, Any]
) -> None:
    resident = personas["resident"]
    Camera.objects.filter(pk=camera.pk).update(custodian_user=resident)
    client = client_for("resident")
    response = client.post(f"/cameras/{camera.pk}/withdraw-consent/", {"reason": "Chuyển nhà"})
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.consent_active is False
    page = client.get("/evidence/my-cameras/").content.decode()
    assert f"/cameras/{camera.pk}/withdraw-consent/" not in page
    assert AuditEvent.objects.filter(
        action="camera.consent_withdraw", actor_id=resident.pk
    ).exists()


def test_another_user_cannot_withdraw_someone_elses_camera(client_for: Any, camera: Camera) -> None:
    response = client_for("resident").post(f"/cameras/{camera.pk}/withdraw-consent/")
    assert response.status_code == 404
    camera.refresh_from_db()
    assert camera.consent_active is True


def test_the_api_returns_the_link_once_and_an_expired_link_reads_as_invalid(
    personas: dict[str, Any], camera: Camera
) -> None:
    api = APIClient()
    api.force_authenticate(personas["ward_officer"])
    response = api.post(
        f"/api/v1/cameras/{camera.pk}/invite-custodian/", {"contact": "0912345678"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "sms" and "/cameras/custodian/" in body["link"]
    second = api.post(f"/api/v1/cameras/{camera.pk}/invite-custodian/", {}, format="json")
    assert second.status_code == 400  # the camera has no contact of its own
    CustodianInvite.objects.update(expires_at="2000-01-01T00:00:00Z")
    page = Client().get(body["link"].split("testserver")[-1])
    assert page.status_code == 404


def test_an_officer_of_another_ward_cannot_invite(personas: dict[str, Any], camera: Camera) -> None:
    api = APIClient()
    api.force_authenticate(personas["other_ward_officer"])
    response = api.post(
        f"/api/v1/cameras/{camera.pk}/invite-custodian/", {"contact": "a@b.vn"}, format="json"
    )
    assert response.status_code == 404
    assert not CustodianInvite.objects.exists()
