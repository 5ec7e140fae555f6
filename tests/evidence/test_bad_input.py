"""The bad input the issue lists for footage requests and clips: a precise message, nothing stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from safeward.cameras import services as camera_services
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from safeward.evidence import services
from safeward.evidence.models import (
    Approval,
    CustodyEvent,
    EvidenceItem,
    FootageRequest,
    RequestTarget,
)
from safeward.evidence.services import items
from tests.evidence.conftest import window

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" * 64


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _stored() -> tuple[int, ...]:
    return (
        FootageRequest.objects.count(),
        RequestTarget.objects.count(),
        Approval.objects.count(),
        EvidenceItem.objects.count(),
        CustodyEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def _files() -> list[str]:
    found: list[str] = []
    stack = ["evidence"]
    while stack:
        folder = stack.pop()
        if default_storage.exists(folder):
            dirs, files = default_storage.listdir(folder)
            found += files
            stack += [f"{folder}/{d}" for d in dirs]
    return found


def _create(personas: dict[str, Any], rep: Any, camera: Any, **kw: Any) -> FootageRequest:
    args: dict[str, Any] = {
        "report": rep,
        "purpose": "Xác minh",
        "radius_m": 200,
        "cameras": [camera],
        **window(rep),
    }
    args.update(kw)
    return services.footage_request_create(personas["ward_officer"], **args)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"report": None}, "report", "A footage request starts from a report."),
        ({"purpose": ""}, "purpose", "State the purpose of the request."),
        ({"purpose": "   "}, "purpose", "State the purpose of the request."),
        ({"radius_m": 5000}, "radius_m", "The radius must be between 1 and 1000 m."),
        ({"cameras": []}, "cameras", "Choose at least one camera."),
    ],
)
def test_request_refusals(
    personas: dict[str, Any],
    report: Any,
    camera: Any,
    kw: dict[str, Any],
    field: str,
    message: str,
) -> None:
    before = _stored()
    with pytest.raises(DomainError) as err:
        _create(personas, report, camera, **kw)
    assert (err.value.field, err.value.message) == (field, message)
    assert _stored() == before


def test_a_window_past_the_hard_cap_is_refused(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    before = _stored()
    with pytest.raises(DomainError) as err:
        _create(personas, report, camera, **window(report, minutes=25 * 60))
    assert (err.value.field, err.value.message) == (
        "window_end",
        "A time window cannot exceed 24 hours.",
    )
    assert _stored() == before


def test_a_window_past_the_cap_reaches_nobody_on_one_approval(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    request = _create(personas, report, camera, **window(report, minutes=180))
    assert request.approvals_needed == 2
    assert services.footage_request_approve(personas["front_member"], request) == {}
    target = request.targets.get()
    assert (target.notified_at, target.upload_token_hash) == (None, "")
    before = _stored()
    with pytest.raises(DomainError) as answer:
        services.target_respond(personas["resident"], target, response="provided")
    assert answer.value.message == "This request was not sent to custodians."
    with pytest.raises(DomainError) as clip:
        items.evidence_receive(
            personas["ward_officer"],
            upload=io.BytesIO(CLIP),
            filename="a.mp4",
            content_type="video/mp4",
            recorded_start=report.occurred_at,
            recorded_end=report.occurred_at + dt.timedelta(minutes=5),
            acquisition="officer_extraction",
            minutes_reference="BB-1",
            target=target,
        )
    assert clip.value.message == "This request is not open for footage."
    with pytest.raises(DomainError) as again:
        services.footage_request_approve(personas["front_member"], request)
    assert again.value.message == "You have already decided on this request."
    assert _stored() == before and _files() == []
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_camera_whose_consent_was_withdrawn_cannot_be_asked(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    camera_services.consent_withdraw(personas["resident"], camera)
    before = _stored()
    with pytest.raises(DomainError) as err:
        _create(personas, report, camera)
    assert (err.value.field, err.value.message) == (
        "cameras",
        f"Camera {camera} cannot be asked: its custodian has not consented, or has withdrawn "
        "consent.",
    )
    assert _stored() == before


def test_a_clip_whose_hash_differs_from_the_declared_one_is_refused(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    target = footage_request.targets.get()
    before = _stored()
    declared = "f" * 64
    with pytest.raises(DomainError) as err:
        items.evidence_receive(
            None,
            upload=io.BytesIO(CLIP),
            filename="a.mp4",
            content_type="video/mp4",
            recorded_start=footage_request.incident_at,
            recorded_end=footage_request.incident_at + dt.timedelta(minutes=5),
            acquisition="custodian_upload",
            target=target,
            declared_sha256=declared,
        )
    actual = hashlib.sha256(CLIP).hexdigest()
    assert (err.value.field, err.value.message) == (
        "declared_sha256",
        f"The file's SHA-256 {actual} does not match the declared {declared}.",
    )
    assert _stored() == before and _files() == []
    target.refresh_from_db()
    assert target.response == "waiting" and target.upload_token_hash


def test_the_custodian_page_shows_the_hash_refusal_in_vietnamese(
    footage_request: FootageRequest, approved: dict[int, str], client: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    [token] = approved.values()
    start = footage_request.incident_at.strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("evidence:upload", args=[token]),
        {
            "file": SimpleUploadedFile("a.mp4", CLIP, content_type="video/mp4"),
            "declared_sha256": "0" * 64,
            "recorded_start": start,
            "recorded_end": start,
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    [message] = response.context["form"].errors["declared_sha256"]
    with translation.override("vi"):
        expected = translation.gettext(
            "The file's SHA-256 {actual} does not match the declared {declared}."
        ).format(actual=hashlib.sha256(CLIP).hexdigest(), declared="0" * 64)
    assert expected.startswith("Mã SHA-256 của tệp")
    assert message == expected
    assert EvidenceItem.objects.count() == 0 and _files() == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "declined",
            "The custodian declined this request; no footage is taken from this camera.",
        ),
        (
            "skipped",
            "The custodian withdrew consent; no footage is taken from this camera.",
        ),
    ],
)
def test_no_clip_is_taken_from_a_camera_that_declined_or_withdrew(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    approved: dict[int, str],
    answer: str,
    message: str,
) -> None:
    target = footage_request.targets.get()
    RequestTarget.objects.filter(pk=target.pk).update(response=answer)
    target.refresh_from_db()
    before = _stored()
    with pytest.raises(DomainError) as err:
        items.evidence_receive(
            personas["ward_officer"],
            upload=io.BytesIO(CLIP),
            filename="a.mp4",
            content_type="video/mp4",
            recorded_start=footage_request.incident_at,
            recorded_end=footage_request.incident_at + dt.timedelta(minutes=5),
            acquisition="officer_extraction",
            minutes_reference="BB-3",
            target=target,
        )
    assert (err.value.field, err.value.message) == ("target", message)
    assert _stored() == before and _files() == []
