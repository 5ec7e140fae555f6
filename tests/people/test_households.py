"""Registering households and their members over the API, audited, with clear refusals."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from safeward.core.audit import AuditEvent
from safeward.people.models import Household, Person

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_fields(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("errors") or body


def test_a_household_and_its_members_are_registered_and_audited(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["ward_officer"])
    unit = demo_units["cam_thinh_khu1_2025"]
    made = client.post(
        "/api/v1/households/",
        {"unit": unit.pk, "label": "Hộ ông Nguyễn Văn Bình", "address": "Tổ 3", "members": 4},
        format="json",
    )
    assert made.status_code == 201, made.content
    household = Household.objects.get(pk=made.json()["id"])
    member = client.post(
        "/api/v1/persons/",
        {"unit": unit.pk, "household": household.pk, "full_name": "Nguyễn Thị Hoa"},
        format="json",
    )
    assert member.status_code == 201, member.content
    detail = client.get(f"/api/v1/households/{household.pk}/").json()
    assert detail["label"] == "Hộ ông Nguyễn Văn Bình" and detail["registered_persons"] == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"household.create", "person.create"} <= actions


def test_bad_household_input_is_refused_with_the_field(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["ward_officer"])
    unit = demo_units["cam_thinh_khu1_2025"]
    response = client.post(
        "/api/v1/households/", {"unit": unit.pk, "label": "  ", "members": 0}, format="json"
    )
    assert response.status_code == 400
    assert set(error_fields(response.json())) & {"label", "members"}
    assert not Household.objects.filter(unit=unit, members=0).exists()


def test_a_member_of_a_household_elsewhere_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["province_admin"])
    household = Household.objects.create(unit=demo_units["bai_chay_khu"], label="Hộ X", members=2)
    response = client.post(
        "/api/v1/persons/",
        {
            "unit": demo_units["cam_thinh_khu1_2025"].pk,
            "household": household.pk,
            "full_name": "Trần Văn Nam",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "household" in error_fields(response.json())
    assert not Person.objects.filter(full_name="Trần Văn Nam").exists()
