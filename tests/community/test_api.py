"""API behaviour beyond scoping: domain errors as 400s, actions, filters."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.community import factories as f


@pytest.fixture
def api(personas: dict[str, Any]) -> Any:
    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(personas[name])
        return client

    return make


def test_second_active_role_is_a_409_naming_the_field(api: Any, demo_units: dict[str, Any]) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    m = f.member(f.led_group(hood))
    response = api("ward_officer").post(
        "/api/v1/group-memberships/",
        {"group": m.group_id, "person": m.person_id, "role": "deputy"},
        format="json",
    )
    assert response.status_code == 409  # the person's current role, not the request, clashes
    assert "person" in response.json()["errors"]


def test_fixed_fields_cannot_change(api: Any, demo_units: dict[str, Any]) -> None:
    group = f.led_group(demo_units["cam_thinh_khu1_2025"])
    response = api("ward_officer").patch(
        f"/api/v1/groups/{group.pk}/", {"unit": demo_units["cua_ong"].pk}, format="json"
    )
    # The record's fixed unit conflicts with the change asked for.
    assert response.status_code == 409
    assert "unit" in response.json()["errors"]


def test_status_action_keeps_history(api: Any, demo_units: dict[str, Any]) -> None:
    group = f.led_group(demo_units["cam_thinh_khu1_2025"])
    response = api("group_leader").post(
        f"/api/v1/groups/{group.pk}/status/", {"status": "inactive", "reason": "Mùa mưa bão"}
    )
    assert response.status_code == 200 and response.json()["status"] == "inactive"
    assert response.json()["status_history"][0]["reason"] == "Mùa mưa bão"
    assert group.status_changes.get().reason == "Mùa mưa bão"
    detail = api("group_leader").get(f"/api/v1/groups/{group.pk}/").json()
    assert detail["status_history"][0]["to_status"] == "inactive"


def test_replicate_action(api: Any, demo_units: dict[str, Any]) -> None:
    model = f.movement_model(demo_units["cua_ong"])
    response = api("province_admin").post(
        f"/api/v1/movement-models/{model.pk}/replicate/",
        {"unit": demo_units["bai_chay"].pk, "start_date": "2026-01-10"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["replicated_from"] == model.pk


def test_list_filters_by_unit_dates_and_choices(api: Any, demo_units: dict[str, Any]) -> None:
    f.GroupFactory(unit=demo_units["cam_thinh_khu1_2025"], group_type="veterans")
    f.GroupFactory(unit=demo_units["cam_thinh_khu1"], group_type="clan")
    client = api("ward_officer")
    ward = demo_units["cua_ong"].pk
    assert client.get("/api/v1/groups/", {"unit": ward}).json()["count"] == 2
    assert client.get("/api/v1/groups/", {"unit": ward, "from": "2025-07-01"}).json()["count"] == 1
    assert client.get("/api/v1/groups/", {"group_type": "clan"}).json()["count"] == 1
    bad = client.get("/api/v1/groups/", {"group_type": "pirates"})
    assert bad.status_code == 400 and "group_type" in bad.json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/groups/",
        "/api/v1/group-memberships/",
        "/api/v1/patrols/",
        "/api/v1/movement-models/",
    ],
)
def test_api_lists_have_a_query_budget(
    api: Any, demo_units: dict[str, Any], django_assert_max_num_queries: Any, url: str
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    for _n in range(12):
        group = f.led_group(hood)
        f.patrol(group)
        f.movement_model(hood)
    client = api("ward_officer")
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
