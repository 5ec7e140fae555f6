"""Clips are served only through the scoped file view: the original bytes, each read logged in
the custody chain and the audit trail; out of scope answers like missing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from safeward.core.models import AuditEvent
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.services import items

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


@pytest.fixture
def item(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> EvidenceItem:
    start = footage_request.incident_at - dt.timedelta(minutes=5)
    return items.evidence_receive(
        personas["ward_officer"],
        upload=io.BytesIO(CLIP),
        filename='cam "1"/../clip.mp4',
        content_type="text/html",
        recorded_start=start,
        recorded_end=start + dt.timedelta(minutes=10),
        acquisition="officer_extraction",
        minutes_reference="BB-01",
        target=footage_request.targets.get(),
    )


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_officer_of_the_ward_downloads_the_original_bytes(
    client_for: Any, item: EvidenceItem
) -> None:
    response = client_for("ward_officer").get(reverse("evidence:item_download", args=[item.pk]))
    assert response.status_code == 200 and body(response) == CLIP


def test_download_is_logged_in_custody_and_audit(client_for: Any, item: EvidenceItem) -> None:
    body(client_for("ward_officer").get(reverse("evidence:item_download", args=[item.pk])))
    assert item.custody.filter(action="downloaded").count() == 1
    event = AuditEvent.objects.get(action="evidence.downloaded", object_id=str(item.pk))
    assert event.sensitive_read and event.actor_label


def test_download_headers_keep_the_file_private_and_unsniffed(
    client_for: Any, item: EvidenceItem
) -> None:
    response = client_for("ward_officer").get(reverse("evidence:item_download", args=[item.pk]))
    assert response["Content-Type"] == "video/mp4"  # sniffed, not the declared text/html
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "/" not in disposition
    assert '"1"' not in disposition


def test_officer_of_another_ward_gets_404(client_for: Any, item: EvidenceItem) -> None:
    url = reverse("evidence:item_download", args=[item.pk])
    assert client_for("other_ward_officer").get(url).status_code == 404
    assert not item.custody.filter(action="downloaded").exists()


def test_anonymous_visitor_is_sent_to_sign_in(client: Any, item: EvidenceItem) -> None:
    response = client.get(reverse("evidence:item_download", args=[item.pk]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_api_download_uses_the_same_scoped_file_view(
    personas: dict[str, Any], item: EvidenceItem
) -> None:
    api = APIClient()
    api.force_authenticate(personas["ward_officer"])
    response = api.get(f"/api/v1/evidence-items/{item.pk}/download/")
    assert response.status_code == 200 and body(response) == CLIP
    assert response["X-Content-Type-Options"] == "nosniff"
    api.force_authenticate(personas["other_ward_officer"])
    assert api.get(f"/api/v1/evidence-items/{item.pk}/download/").status_code == 404


def test_clip_file_is_not_served_under_media_url(client_for: Any, item: EvidenceItem) -> None:
    assert client_for("ward_officer").get("/media/" + item.file.name).status_code == 404
