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
