"""Session materials are opened through the scoped file view, never under /media/."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from safeward.outreach import services
from safeward.outreach.models import SessionMaterial
from tests.outreach import factories as f

pytestmark = pytest.mark.django_db

LEAFLET = b"%PDF-1.4 leaflet about scams"


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def material(personas: dict[str, Any], demo_units: dict[str, Any]) -> SessionMaterial:
    session = f.session(demo_units["cua_ong"])
    upload = SimpleUploadedFile("evil.html", LEAFLET, content_type="text/html")
    return services.material_add(
        personas["front_member"], session=session, title='Tờ rơi "lừa đảo"', file=upload
    )


def url(material: SessionMaterial) -> str:
    return reverse("outreach:material_file", args=[material.pk])


def test_officer_of_the_ward_opens_the_material(client_for: Any, material: SessionMaterial) -> None:
    response = client_for("ward_officer").get(url(material))
    assert response.status_code == 200 and b"".join(response.streaming_content) == LEAFLET


def test_material_headers_name_the_sniffed_type_and_a_safe_filename(
    client_for: Any, material: SessionMaterial
) -> None:
    response = client_for("ward_officer").get(url(material))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(".pdf")
    assert '"lừa' not in disposition and ".html" not in disposition


def test_officer_of_another_ward_gets_404(client_for: Any, material: SessionMaterial) -> None:
    assert client_for("other_ward_officer").get(url(material)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client: Any, material: SessionMaterial) -> None:
    response = client.get(url(material))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_session_page_links_the_material_to_the_scoped_view(
    client_for: Any, material: SessionMaterial
) -> None:
    page = client_for("front_member").get(reverse("outreach:session", args=[material.session_id]))
    assert f'href="{url(material)}"' in page.content.decode()
    assert "/media/" not in page.content.decode()


def test_api_gives_the_scoped_view_as_the_material_url(
    personas: dict[str, Any], material: SessionMaterial
) -> None:
    api = APIClient()
    api.force_authenticate(personas["front_member"])
    row = api.get(f"/api/v1/session-materials/{material.pk}/").json()
    assert row["url"] == url(material) and row["content_type"] == "application/pdf"


def test_material_is_not_served_under_media_url(client_for: Any, material: SessionMaterial) -> None:
    assert client_for("ward_officer").get("/media/" + material.file.name).status_code == 404
