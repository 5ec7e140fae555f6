from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_landing_is_public_and_counts_units() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"54 wards and communes" in response.content  # Quảng Ninh's current wards
    for url in ("/reports/statistics/", "/evidence/statistics/", "/reports/submit/"):
        assert f'href="{url}"'.encode() in response.content, url


def test_vietnamese_is_the_default_language() -> None:
    response = Client().get("/")
    assert response.headers["Content-Language"] == "vi"


def test_arabic_pages_are_right_to_left() -> None:
    client = Client()
    client.cookies["django_language"] = "ar"
    assert b'dir="rtl"' in client.get("/").content


def test_home_shows_role_and_unit(client_for: Any) -> None:
    body = client_for("ward_officer").get("/home/").content.decode()
    assert "Phường Cửa Ông" in body


def test_unit_detail_shows_what_a_ward_was_formed_from(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    body = client_for("ward_officer").get(f"/units/{demo_units['cua_ong'].pk}/").content.decode()
    assert "Phường Cẩm Thịnh" in body


def test_unit_outside_scope_is_404(client_for: Any, demo_units: dict[str, Any]) -> None:
    assert client_for("ward_officer").get(f"/units/{demo_units['bai_chay'].pk}/").status_code == 404


def test_unit_list_filters_by_era_and_level(client_for: Any) -> None:
    client = client_for("province_admin")
    legacy = client.get("/units/?era=legacy&level=district")
    assert legacy.context["page"].paginator.count == 13
    current = client.get("/units/?era=current&level=district")
    assert current.context["page"].paginator.count == 0


def test_add_neighbourhood_form_shows_precise_errors(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    existing = demo_units["cam_thinh_khu1_2025"].code
    response = client_for("ward_officer").post(
        f"/units/{demo_units['cua_ong'].pk}/add/",
        {"code": existing, "name": "Khu", "kind": "Khu phố", "boundary": "{not json"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()


def test_unit_list_query_count_is_bounded(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("province_admin")
    with django_assert_max_num_queries(10):
        client.get("/units/?era=all")


def test_audit_list_query_count_is_bounded(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("province_admin")
    with django_assert_max_num_queries(10):  # incl. the session's first last-seen write
        client.get("/audit/")


def test_api_unit_list_query_count_is_bounded(
    personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["province_admin"])
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/units/", {"page_size": 200}).status_code == 200


def test_api_schema_and_docs_are_served_offline(personas: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["province_admin"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/units/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_healthz(db: Any) -> None:
    answer = Client().get("/healthz")
    assert answer.status_code == 200 and answer.json()["status"] in ("ok", "degraded")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"],
)
def test_picking_a_unit_never_sends_the_user_to_another_site(
    client_for: Any, demo_units: dict[str, Any], target: str
) -> None:
    client = client_for("ward_officer")
    ward = demo_units["cua_ong"]
    response = client.get("/home/unit/", {"unit": ward.pk, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert client.session["safeward_unit"] == ward.pk


def test_picking_a_unit_goes_back_to_the_page_on_this_site(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    client = client_for("ward_officer")
    ward = demo_units["cua_ong"]
    response = client.get("/home/unit/", {"unit": ward.pk, "next": "/reports/?status=new"})
    assert response["Location"] == "/reports/?status=new"
    assert f"{ward.name}" in client.get("/home/").content.decode()


def test_the_menu_is_sections_and_a_section_of_one_is_its_link(personas: dict[str, Any]) -> None:
    from safeward.web.navigation import items_for

    menu = items_for(personas["province_admin"], "/community/groups/")
    sections = {e["key"]: e for e in menu if "links" in e}
    assert list(sections) == ["reports", "community", "outreach", "cameras", "admin"]
    community = sections["community"]
    assert community["active"] and community["links"][0]["active"]
    assert len(community["links"]) == 4
    # A resident sees no section: at most single links.
    assert all("links" not in e for e in items_for(personas["resident"], "/home/"))


def test_the_phone_menu_is_a_drawer_and_every_entry_is_in_the_page(client_for: Any) -> None:
    body = client_for("province_admin").get("/reports/").content.decode()
    assert 'class="navtoggle" aria-expanded="false" aria-controls="navlist"' in body
    assert body.count('<li class="navgroup"><details>') == 5
    assert 'href="/audit/"' in body and 'href="/cameras/campaigns/"' in body
