"""The permission suite for evidence items: a clip is visible exactly where its request is."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from safeward.accounts.models import User
from safeward.core.testing import PermissionSuite
from safeward.evidence.models import EvidenceItem, FootageRequest, RequestTarget
from safeward.evidence.services import items
from safeward.geo.models import AdminUnit
from safeward.reports.services import category_by_code, report_submit
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db


def _when(unit: AdminUnit) -> dt.datetime:
    if unit.valid_to is not None:
        return timezone.make_aware(dt.datetime.combine(unit.valid_to, dt.time(12)))
    return timezone.now() - dt.timedelta(hours=1)


def clip_in(unit: AdminUnit) -> EvidenceItem:
    """A clip received for an approved request about a report in ``unit``."""
    admin = User.objects.get(username="province_admin")
    when = _when(unit)
    report = report_submit(
        None,
        category=category_by_code("theft"),
        description="Mất trộm xe đạp",
        channel="web",
        unit=unit,
        occurred_at=when,
    ).report
    camera = make_camera(admin, unit, installed_on=when.date() - dt.timedelta(days=30))
    request = FootageRequest.objects.create(
        report=report,
        unit=report.unit,
        ward=report.ward,
        latitude=camera.latitude,
        longitude=camera.longitude,
        incident_at=when,
        purpose="Xác minh",
        window_start=when,
        window_end=when + dt.timedelta(hours=1),
        radius_m=100,
        status="approved",
        created_by=User.objects.get(username="ward_officer"),
    )
    target = RequestTarget.objects.create(
        request=request, camera=camera, distance_m=5.0, kept_until=when + dt.timedelta(days=7)
    )
    return items.evidence_receive(
        None,
        upload=io.BytesIO(b"clip" * 64),
        filename="clip.mp4",
        content_type="video/mp4",
        recorded_start=when,
        recorded_end=when + dt.timedelta(minutes=5),
        acquisition="custodian_upload",
        target=target,
    )


class TestEvidenceItemPermissions(PermissionSuite):
    model = EvidenceItem
    basename = "evidenceitem"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> EvidenceItem:
        return clip_in(unit)
