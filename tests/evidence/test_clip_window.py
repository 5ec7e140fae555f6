"""A clip reaching outside the approved footage window is kept only with a reason, and is
flagged on its record, on its page and in the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.services import items

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
OFFSET = dt.timedelta(seconds=90)  # the camera fixture's recorder runs 90 s fast
REASON = "Nghi phạm quay lại hiện trường sau 40 phút"


def receive(actor: Any, footage: FootageRequest, start: dt.datetime, **kw: Any) -> EvidenceItem:
    """A ten-minute clip whose true start is ``start`` (the recorder shows it 90 s later)."""
    return items.evidence_receive(
        actor,
        upload=io.BytesIO(CLIP),
        filename="clip.mp4",
        content_type="video/mp4",
        recorded_start=start + OFFSET,
        recorded_end=start + OFFSET + dt.timedelta(minutes=10),
        acquisition="custodian_upload",
        target=footage.targets.get(),
        **kw,
    )


def late(footage: FootageRequest) -> dt.datetime:
    """Starts five minutes before the window closes: its last five minutes were not approved."""
    return footage.window_end - dt.timedelta(minutes=5)


def test_clip_inside_the_window_is_not_flagged(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = receive(None, footage_request, footage_request.window_start)
    assert not item.outside_window and item.reason_outside_window == ""


def test_clip_outside_the_window_without_a_reason_is_refused_and_nothing_stored(
    footage_request: FootageRequest, approved: dict[int, str], settings: Any
) -> None:
    with translation.override("en"), pytest.raises(DomainError) as err:
        receive(None, footage_request, late(footage_request))
    assert err.value.field == "reason_outside_window"
    assert "outside the approved window" in err.value.message
    assert not EvidenceItem.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.mp4"))


def test_clip_outside_the_window_with_a_reason_is_kept_and_flagged(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = receive(None, footage_request, late(footage_request), reason_outside_window=REASON)
    assert item.outside_window and item.reason_outside_window == REASON
    uploaded = item.custody.get(action="uploaded")
    assert uploaded.details["outside_window"] is True and uploaded.details["reason"] == REASON


def test_audit_event_of_a_clip_outside_the_window_carries_the_reason(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = receive(None, footage_request, late(footage_request), reason_outside_window=REASON)
    event = AuditEvent.objects.get(action="evidence.receive", object_id=str(item.pk))
    assert event.reason == REASON and event.changes["outside_window"] is True


def test_recorder_clock_offset_is_corrected_before_the_window_is_checked(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    # The recorder shows the window's last ten minutes 90 s late; in true time they fit.
    item = receive(None, footage_request, footage_request.window_end - dt.timedelta(minutes=10))
    assert not item.outside_window
    assert item.recorded_end > footage_request.window_end


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def officer_upload(footage: FootageRequest, **extra: Any) -> dict[str, Any]:
    start = late(footage) + OFFSET
    return {
        "target": footage.targets.get().pk,
        "file": SimpleUploadedFile("trich-xuat.mp4", CLIP, content_type="video/mp4"),
        "acquisition": "officer_extraction",
        "minutes_reference": "BB-07/2026",
        "recorded_start": _local(start),
        "recorded_end": _local(start + dt.timedelta(minutes=10)),
        "declared_sha256": hashlib.sha256(CLIP).hexdigest(),
        **extra,
    }


def test_officer_form_asks_for_the_reason_beside_its_field(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        officer_upload(footage_request),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    [message] = response.context["upload_form"].errors["reason_outside_window"]
    assert "ngoài khung thời gian được duyệt" in message
    assert not EvidenceItem.objects.exists()


def test_clip_page_shows_the_flag_and_the_reason(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    officer = client_for("ward_officer")
    officer.post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        officer_upload(footage_request, reason_outside_window=REASON),
    )
    item = EvidenceItem.objects.get()
    page = officer.get(reverse("evidence:item", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200, page
    assert "Outside the approved window" in page.content.decode()
    assert REASON in page.content.decode()


def test_api_upload_takes_the_reason_and_reports_the_flag(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    api = APIClient()
    api.force_authenticate(personas["ward_officer"])
    url = reverse("footagerequest-upload", args=[footage_request.pk])
    refused = api.post(url, officer_upload(footage_request), format="multipart")
    assert refused.status_code == 400 and "reason_outside_window" in refused.json()["errors"]
    data = officer_upload(footage_request, reason_outside_window=REASON)
    created = api.post(url, data, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["outside_window"] is True
    assert created.json()["reason_outside_window"] == REASON
