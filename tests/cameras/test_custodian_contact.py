"""Who keeps a camera and their phone: only for holders of the contact permission, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from safeward.cameras.models import Camera
from safeward.core.models import AuditEvent
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db
NAME = "Hộ bà Trần Thị Liên"
PHONE = "0912345678"


@pytest.fixture
def camera(personas: dict[str, Any], demo_units: dict[str, Any]) -> Camera:
    return make_camera(
        personas["province_admin"],
        demo_units["cam_thinh_khu1_2025"],
        custodian_label=NAME,
        contact=PHONE,
        installed_on=dt.date(2025, 8, 1),
    )


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def looks(user: Any) -> Any:
    return AuditEvent.objects.filter(action="cameras.view_custodian_contact", actor_id=user.pk)


def test_analyst_api_list_has_no_custodian_fields(personas: dict[str, Any], camera: Camera) -> None:
    response = api(personas["analyst"]).get("/api/v1/cameras/", {"page_size": 500})
    rows = [r for r in response.json()["results"] if r["id"] == camera.pk]
    assert rows and rows[0]["unit"] == camera.unit_id
    assert not {"custodian_label", "contact", "preferred_channel"} & set(rows[0])
    assert NAME not in response.content.decode() and PHONE not in response.content.decode()


def test_analyst_api_detail_has_no_custodian_fields(
    personas: dict[str, Any], camera: Camera
) -> None:
    response = api(personas["analyst"]).get(f"/api/v1/cameras/{camera.pk}/")
    assert response.status_code == 200, response
    assert "custodian_label" not in response.json() and "contact" not in response.json()
    assert not looks(personas["analyst"]).exists()


def test_analyst_camera_pages_do_not_name_the_custodian(client_for: Any, camera: Camera) -> None:
    client = client_for("analyst")
    pages = [("/cameras/", {"unit": camera.unit_id}), (f"/cameras/{camera.pk}/", {})]
    pages.append(("/cameras/coverage/", {"unit": camera.unit_id}))
    for url, query in pages:
        page = client.get(url, query)
        assert page.status_code == 200, url
        assert NAME not in page.content.decode() and PHONE not in page.content.decode(), url


def test_ward_officer_api_detail_shows_the_custodian_and_audits_the_look(
    personas: dict[str, Any], camera: Camera
) -> None:
    officer = personas["ward_officer"]
    response = api(officer).get(f"/api/v1/cameras/{camera.pk}/")
    assert response.json()["custodian_label"] == NAME
    assert response.json()["contact"] == PHONE
    event = looks(officer).get()
    assert event.sensitive_read and event.object_id == str(camera.pk)
    assert event.actor_label == "ward_officer"


def test_ward_officer_api_list_audits_one_look_naming_the_cameras(
    personas: dict[str, Any], camera: Camera
) -> None:
    officer = personas["ward_officer"]
    response = api(officer).get("/api/v1/cameras/", {"page_size": 500})
    shown = [r["id"] for r in response.json()["results"] if "custodian_label" in r]
    assert camera.pk in shown
    event = looks(officer).get()
    assert sorted(event.changes["ids"]) == sorted(shown)


def test_ward_officer_camera_page_shows_the_custodian_and_audits_the_look(
    personas: dict[str, Any], client_for: Any, camera: Camera
) -> None:
    page = client_for("ward_officer").get(f"/cameras/{camera.pk}/")
    assert NAME in page.content.decode() and PHONE in page.content.decode()
    assert looks(personas["ward_officer"]).filter(object_id=str(camera.pk)).exists()


def test_camera_page_offers_edit_only_to_who_may_change_it(client_for: Any, camera: Camera) -> None:
    edit = f'href="/cameras/{camera.pk}/edit/"'
    analyst_page = client_for("analyst").get(f"/cameras/{camera.pk}/")
    assert analyst_page.status_code == 200 and f"#{camera.pk}" in analyst_page.content.decode()
    assert edit not in analyst_page.content.decode()
    assert client_for("analyst").get(f"/cameras/{camera.pk}/edit/").status_code in (403, 404)
    officer_page = client_for("ward_officer").get(f"/cameras/{camera.pk}/")
    assert edit in officer_page.content.decode()
    assert client_for("ward_officer").get(f"/cameras/{camera.pk}/edit/").status_code == 200
