from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _usernames(user: Any) -> set[str]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/users/", {"page_size": 500})
    assert response.status_code == 200
    return {row["username"] for row in response.json()["results"]}


def test_ward_officer_sees_the_people_of_their_ward_only(personas: dict[str, Any]) -> None:
    names = _usernames(personas["ward_officer"])
    assert {"ward_officer", "front_member", "group_leader", "mentor", "resident"} <= names
    assert "other_ward_officer" not in names and "outsider" not in names


def test_province_admin_sees_everyone_with_a_role_in_the_province(personas: dict[str, Any]) -> None:
    names = _usernames(personas["province_admin"])
    assert {"other_ward_officer", "city_officer", "analyst"} <= names
    assert "outsider" not in names


def test_a_resident_sees_only_themself(personas: dict[str, Any]) -> None:
    assert _usernames(personas["resident"]) == {"resident"}
