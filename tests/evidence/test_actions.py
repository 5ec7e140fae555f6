"""The staff actions on a request and a clip: htmx partials, plain-form fallbacks, refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeward.core.models import AuditEvent
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.evidence.services import items

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 20
HX = {"HTTP_HX_REQUEST": "true"}


def _clip(request: FootageRequest) -> EvidenceItem:
    start = request.incident_at - dt.timedelta(minutes=5)
    return items.evidence_receive(
        None,
        upload=io.BytesIO(CLIP),
        filename="clip.mp4",
        content_type="video/mp4",
        recorded_start=start,
        recorded_end=start + dt.timedelta(minutes=10),
        acquisition="custodian_upload",
        target=request.targets.get(),
    )


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """Signed-in clients reading English, so messages compare with the source strings."""

    def make(name: str) -> Any:
        client = client_for(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def _stored_files() -> list[str]:
    found: list[str] = []
    stack = ["evidence"]
    while stack:
        folder = stack.pop()
        if not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{f}" for f in files]
        stack += [f"{folder}/{d}" for d in dirs]
    return found


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


# --- retention -----------------------------------------------------------------------------


def test_retention_change_returns_the_panel_with_the_custody_event(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _clip(footage_request)
    response = client_for("ward_officer").post(
        reverse("evidence:item_retention", args=[item.pk]),
        {"retention": "legal_hold", "reason": "Lệnh giữ của Viện kiểm sát"},
        **HX,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "evidence/_item_panel.html"
    item.refresh_from_db()
    assert item.retention == "legal_hold" and item.retain_until is None
    last = item.custody.order_by("seq").last()
    assert last.action == "retention_changed"
    assert last.details == {"from": "case", "to": "legal_hold"}
    assert "Retention changed" in response.content.decode() or response.context["saved"]
    event = AuditEvent.objects.get(action="evidence.retention", object_id=str(item.pk))
    assert event.reason == "Lệnh giữ của Viện kiểm sát"


def test_retention_change_without_javascript_redirects(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _clip(footage_request)
    response = client_for("ward_officer").post(
        reverse("evidence:item_retention", args=[item.pk]),
        {"retention": "short", "reason": "Vụ việc đã khép lại"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:item", args=[item.pk])
    item.refresh_from_db()
    assert item.retention == "short" and item.retain_until is not None


def test_retention_change_without_a_reason_is_refused_and_nothing_changes(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _clip(footage_request)
    events = item.custody.count()
    client = client_for("ward_officer")
    url = reverse("evidence:item_retention", args=[item.pk])
    partial = client.post(url, {"retention": "short", "reason": "  "}, **HX)
    assert partial.status_code == 200
    assert partial.context["retention_form"].errors["reason"] == ["This field is required."]
    page = client.post(url, {"retention": "short", "reason": ""})
    assert page.status_code == 400
    assert page.templates[0].name == "evidence/item.html"
    item.refresh_from_db()
    assert item.retention == "case" and item.custody.count() == events


def test_retention_change_to_the_same_category_names_it(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _clip(footage_request)
    response = client_for("ward_officer").post(
        reverse("evidence:item_retention", args=[item.pk]),
        {"retention": "case", "reason": "Nhầm"},
        **HX,
    )
    assert response.context["retention_form"].errors["retention"] == [
        "The clip is already kept as “Linked to an open case: kept”."
    ]
    assert item.custody.count() == 2


def test_retention_of_a_clip_out_of_scope_is_missing(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _clip(footage_request)
    response = client_for("other_ward_officer").post(
        reverse("evidence:item_retention", args=[item.pk]),
        {"retention": "short", "reason": "x"},
        **HX,
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.retention == "case"


def test_only_officers_get_the_retention_form(
    client_for: Any, personas: dict[str, Any], footage_request: FootageRequest, approved: Any
) -> None:
    item = _clip(footage_request)
    officer_page = client_for("ward_officer").get(reverse("evidence:item", args=[item.pk]))
    assert 'id="retention-form"' in officer_page.content.decode()
    front = client_for("front_member")
    assert front.get(reverse("evidence:item", args=[item.pk])).status_code == 404


# --- closing a request ---------------------------------------------------------------------


def test_closing_a_request_refreshes_the_panel_and_spends_the_links(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    from safeward.evidence.services import target_for_token

    [token] = approved.values()
    client = client_for("ward_officer")
    url = reverse("evidence:request_action", args=[footage_request.pk, "close"])
    response = client.post(url, **HX)
    assert response.status_code == 200
    assert 'data-status="closed"' in response.content.decode()
    assert 'id="close-form"' not in response.content.decode()
    footage_request.refresh_from_db()
    assert footage_request.status == "closed"
    assert target_for_token(token) is None
    assert AuditEvent.objects.filter(
        action="footage_request.close", object_id=str(footage_request.pk)
    ).exists()
    again = client.post(url, **HX)
    assert again.context["action_error"] == "This request is already closed."
    assert AuditEvent.objects.filter(action="footage_request.close").count() == 1


def test_closing_without_javascript_redirects_to_the_request(
    client_for: Any, footage_request: FootageRequest
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "close"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:request", args=[footage_request.pk])
    footage_request.refresh_from_db()
    assert footage_request.status == "closed"


def test_front_member_may_not_close(
    client_for: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    client = client_for("front_member")
    page = client.get(reverse("evidence:request", args=[footage_request.pk]))
    assert 'id="close-form"' not in page.content.decode()
    response = client.post(
        reverse("evidence:request_action", args=[footage_request.pk, "close"]), **HX
    )
    assert response.status_code == 403
    footage_request.refresh_from_db()
    assert footage_request.status == "approved"


def test_unknown_request_action_is_missing(
    client_for: Any, footage_request: FootageRequest
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "delete"])
    )
    assert response.status_code == 404


# --- officer upload ------------------------------------------------------------------------


def _upload_data(request: FootageRequest, **overrides: Any) -> dict[str, Any]:
    start = request.incident_at - dt.timedelta(minutes=3)
    data: dict[str, Any] = {
        "target": request.targets.get().pk,
        "file": SimpleUploadedFile("trich-xuat.mp4", CLIP, content_type="video/mp4"),
        "acquisition": "officer_extraction",
        "minutes_reference": "BB-07/2026",
        "recorded_start": _local(start),
        "recorded_end": _local(start + dt.timedelta(minutes=6)),
        "clock_offset_s": "45",
        "declared_sha256": hashlib.sha256(CLIP).hexdigest(),
    }
    data.update(overrides)
    return data


def test_officer_uploads_an_extracted_clip_hashed_with_its_minutes(
    client_for: Any, personas: dict[str, Any], footage_request: FootageRequest, approved: Any
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        _upload_data(footage_request),
        **HX,
    )
    assert response.status_code == 200
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(CLIP).hexdigest() and item.size_bytes == len(CLIP)
    assert item.acquisition == "officer_extraction" and item.minutes_reference == "BB-07/2026"
    assert item.clock_offset_s == 45
    assert item.corrected_start == item.recorded_start - dt.timedelta(seconds=45)
    assert item.received_by == personas["ward_officer"]
    assert default_storage.open(item.file.name).read() == CLIP
    chain = list(item.custody.values_list("action", "actor_label"))
    assert chain == [
        ("acquired", "ward_officer"),
        ("uploaded", "ward_officer"),
        ("hash_verified", "ward_officer"),
    ]
    assert reverse("evidence:item", args=[item.pk]) in response.content.decode()


def test_officer_upload_uses_the_cameras_measured_offset_when_none_is_given(
    client_for: Any, footage_request: FootageRequest, approved: Any
) -> None:
    client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        _upload_data(footage_request, clock_offset_s=""),
    )
    assert EvidenceItem.objects.get().clock_offset_s == 90


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"minutes_reference": ""},
            "minutes_reference",
            "An on-site extraction needs the reference of its minutes.",
        ),
        (
            {"declared_sha256": "ab" * 32},
            "declared_sha256",
            "The file's SHA-256 {actual} does not match the declared {declared}.".format(
                actual=hashlib.sha256(CLIP).hexdigest(), declared="ab" * 32
            ),
        ),
        (
            {"recorded_end": "2020-01-01 00:00"},
            "recorded_end",
            "The clip must end after it starts.",
        ),
    ],
)
def test_officer_upload_refusals_name_the_field_and_store_nothing(
    client_for: Any,
    footage_request: FootageRequest,
    approved: Any,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        _upload_data(footage_request, **overrides),
        **HX,
    )
    assert response.status_code == 200
    assert response.context["upload_form"].errors[field] == [message]
    assert EvidenceItem.objects.count() == 0
    assert _stored_files() == []


def test_officer_upload_before_approval_is_refused(
    client_for: Any, footage_request: FootageRequest
) -> None:
    response = client_for("ward_officer").post(
        reverse("evidence:request_action", args=[footage_request.pk, "upload"]),
        _upload_data(footage_request),
    )
    assert response.status_code == 400
    assert response.context["action_error"] == "This request is not open for footage."
    assert EvidenceItem.objects.count() == 0


def test_upload_form_is_offered_only_on_an_approved_request(
    client_for: Any, footage_request: FootageRequest
) -> None:
    client = client_for("ward_officer")
    url = reverse("evidence:request", args=[footage_request.pk])
    assert 'id="officer-upload"' not in client.get(url).content.decode()
    from safeward.accounts.models import User
    from safeward.evidence.services import footage_request_approve

    footage_request_approve(User.objects.get(username="front_member"), footage_request)
    assert 'id="officer-upload"' in client.get(url).content.decode()


def test_refusals_speak_the_users_language(
    personas: dict[str, Any], footage_request: FootageRequest
) -> None:
    from tests.conftest import signed_in_client

    client = signed_in_client(personas["ward_officer"])
    url = reverse("evidence:request_action", args=[footage_request.pk, "close"])
    client.post(url, **HX)
    again = client.post(url, **HX)
    assert again.context["action_error"] == "Yêu cầu này đã được đóng."
    arabic = client.post(url, HTTP_ACCEPT_LANGUAGE="ar", **HX)
    assert arabic.context["action_error"] == "هذا الطلب مغلق بالفعل."


def test_upload_form_offers_no_camera_whose_custodian_declined(
    client_for: Any, personas: dict[str, Any], footage_request: FootageRequest, approved: Any
) -> None:
    from safeward.evidence.services import target_respond

    target = footage_request.targets.get()
    target_respond(personas["resident"], target, response="declined")
    page = client_for("ward_officer").get(reverse("evidence:request", args=[footage_request.pk]))
    assert page.context["upload_form"] is None
    assert 'id="officer-upload"' not in page.content.decode()


# --- a custodian's answer recorded by an officer, and the front's decision ---------------


def test_officer_records_a_custodians_answer_and_returns_to_the_request(
    client_for: Any, footage_request: FootageRequest, approved: Any
) -> None:
    target = footage_request.targets.get()
    url = reverse("evidence:target_answer", args=[target.pk])
    assert client_for("other_ward_officer").post(url, {"response": "declined"}).status_code == 404
    response = client_for("ward_officer").post(
        url, {"response": "declined", "note": "Qua điện thoại"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:request", args=[footage_request.pk])
    target.refresh_from_db()
    assert target.response == "declined"


def test_an_unknown_decision_is_missing_and_decides_nothing(
    client_for: Any, footage_request: FootageRequest
) -> None:
    url = reverse("evidence:request_decide", args=[footage_request.pk, "maybe"])
    assert client_for("front_member").post(url, {"note": ""}).status_code == 404
    footage_request.refresh_from_db()
    assert footage_request.status == "pending"
