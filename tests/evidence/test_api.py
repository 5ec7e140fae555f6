from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.core.models import AuditEvent
from safeward.core.testing import PermissionSuite
from safeward.evidence.models import EvidenceItem, FootageRequest
from safeward.geo.models import AdminUnit
from safeward.reports.services import category_by_code, report_submit
from tests.evidence.conftest import window

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestFootageRequestPermissions(PermissionSuite):
    model = FootageRequest
    basename = "footagerequest"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> FootageRequest:
        from safeward.accounts.models import User

        when = timezone.now() - dt.timedelta(hours=1)
        if unit.valid_to is not None:
            when = timezone.make_aware(dt.datetime.combine(unit.valid_to, dt.time(12)))
        report = report_submit(
            None,
            category=category_by_code("theft"),
            description="Mất trộm",
            channel="web",
            unit=unit,
            occurred_at=when,
        ).report
        return FootageRequest.objects.create(
            report=report,
            unit=report.unit,
            ward=report.ward,
            latitude=21.0,
            longitude=107.3,
            incident_at=when,
            purpose="Xác minh",
            window_start=when,
            window_end=when + dt.timedelta(hours=1),
            radius_m=100,
            created_by=User.objects.get(username="ward_officer"),
        )

    def unit_of(self, obj: Any) -> AdminUnit:
        return obj.report.unit


def test_api_flow_create_approve_upload_and_download(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    w = window(report)
    created = _api(personas["ward_officer"]).post(
        reverse("footagerequest-list"),
        {
            "report": report.pk,
            "purpose": "Xác minh vụ mất xe",
            "window_start": w["window_start"].isoformat(),
            "window_end": w["window_end"].isoformat(),
            "radius_m": 150,
            "cameras": [camera.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    approved = _api(personas["front_member"]).post(
        reverse("footagerequest-approve", args=[pk]), {}, format="json"
    )
    assert approved.status_code == 200, approved.content
    [link] = approved.json()["upload_links"].values()
    clip = b"clip-bytes" * 100
    start = timezone.localtime(report.occurred_at).strftime("%Y-%m-%dT%H:%M")
    page = APIClient().post(
        link,
        {
            "file": SimpleUploadedFile("a.mp4", clip, content_type="video/mp4"),
            "declared_sha256": hashlib.sha256(clip).hexdigest(),
            "recorded_start": start,
            "recorded_end": start,
        },
    )
    assert page.status_code == 200, page.content
    item = EvidenceItem.objects.get()
    download = _api(personas["ward_officer"]).get(reverse("evidenceitem-download", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == clip
    assert item.custody.last().action == "downloaded"
    assert AuditEvent.objects.filter(action="evidence.downloaded", sensitive_read=True).exists()
    other = _api(personas["other_ward_officer"]).get(reverse("evidenceitem-detail", args=[item.pk]))
    assert other.status_code == 404


def test_api_refuses_a_request_without_purpose(
    personas: dict[str, Any], report: Any, camera: Any
) -> None:
    w = window(report)
    response = _api(personas["ward_officer"]).post(
        reverse("footagerequest-list"),
        {
            "report": report.pk,
            "purpose": "",
            "window_start": w["window_start"].isoformat(),
            "window_end": w["window_end"].isoformat(),
            "radius_m": 150,
            "cameras": [camera.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert FootageRequest.objects.count() == 0


def _en(user: Any) -> APIClient:
    client = _api(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_api_officer_upload_hashes_and_logs_the_clip(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    clip = b"extracted-on-site" * 50
    start = footage_request.incident_at
    url = reverse("footagerequest-upload", args=[footage_request.pk])
    body = {
        "target": footage_request.targets.get().pk,
        "file": SimpleUploadedFile("trich-xuat.mp4", clip, content_type="video/mp4"),
        "minutes_reference": "BB-12/2026",
        "recorded_start": start.isoformat(),
        "recorded_end": (start + dt.timedelta(minutes=4)).isoformat(),
        "clock_offset_s": 30,
    }
    response = _en(personas["ward_officer"]).post(url, body, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["sha256"] == hashlib.sha256(clip).hexdigest()
    assert data["acquisition"] == "officer_extraction" and data["clock_offset_s"] == 30
    assert [e["action"] for e in data["custody"]] == ["acquired", "uploaded"]
    missing = _en(personas["ward_officer"]).post(
        url,
        {**body, "minutes_reference": "", "file": SimpleUploadedFile("b.mp4", clip)},
        format="multipart",
    )
    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "minutes_reference": ["An on-site extraction needs the reference of its minutes."]
    }
    assert EvidenceItem.objects.count() == 1
    hidden = _en(personas["other_ward_officer"]).post(
        url, {**body, "file": SimpleUploadedFile("c.mp4", clip)}, format="multipart"
    )
    assert hidden.status_code == 404 and EvidenceItem.objects.count() == 1


def test_api_changes_retention_and_closes_the_request(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    from tests.evidence.test_actions import _clip

    item = _clip(footage_request)
    officer = _en(personas["ward_officer"])
    url = reverse("evidenceitem-retention", args=[item.pk])
    refused = officer.post(url, {"retention": "legal_hold", "reason": ""}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Say why the retention changes."]}
    done = officer.post(url, {"retention": "legal_hold", "reason": "Lệnh giữ"}, format="json")
    assert done.status_code == 200 and done.json()["retention"] == "legal_hold"
    assert done.json()["custody"][-1]["action"] == "retention_changed"
    hidden = _en(personas["other_ward_officer"]).post(
        url, {"retention": "short", "reason": "x"}, format="json"
    )
    assert hidden.status_code == 404
    close = reverse("footagerequest-close", args=[footage_request.pk])
    assert _en(personas["front_member"]).post(close).status_code == 403
    closed = officer.post(close)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = officer.post(close)
    assert again.json()["errors"] == {"status": ["This request is already closed."]}


def test_api_evidence_items_cannot_be_created_directly(personas: dict[str, Any]) -> None:
    response = _api(personas["ward_officer"]).post(reverse("evidenceitem-list"), {})
    assert response.status_code == 405
