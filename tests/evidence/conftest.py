"""Fixtures for evidence tests: a report with a consenting camera beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeward.cameras.models import Camera
from safeward.evidence import services
from safeward.evidence.models import FootageRequest
from safeward.reports.models import Report
from safeward.reports.services import category_by_code, report_submit
from tests.cameras.factories import make_camera


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def report(demo_units: dict[str, Any]) -> Report:
    unit = demo_units["cam_thinh_khu1_2025"]
    return report_submit(
        None,
        category=category_by_code("theft"),
        description="Mất xe máy trước cửa nhà",
        channel="web",
        latitude=unit.centroid_lat,
        longitude=unit.centroid_lon,
        occurred_at=timezone.now() - dt.timedelta(hours=3),
    ).report


@pytest.fixture
def camera(personas: dict[str, Any], demo_units: dict[str, Any], report: Report) -> Camera:
    return make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=report.latitude,
        longitude=report.longitude + 0.0002,
        fov=360,
        range_m=60,
        custodian_user=personas["resident"],
        clock_offset_s=90,
    )


def window(report: Report, minutes: int = 60) -> dict[str, dt.datetime]:
    start = report.occurred_at - dt.timedelta(minutes=minutes // 2)
    return {"window_start": start, "window_end": start + dt.timedelta(minutes=minutes)}


@pytest.fixture
def footage_request(personas: dict[str, Any], report: Report, camera: Camera) -> FootageRequest:
    return services.footage_request_create(
        personas["ward_officer"],
        report=report,
        purpose="Xác minh vụ mất xe máy",
        radius_m=200,
        cameras=[camera],
        **window(report),
    )


@pytest.fixture
def approved(personas: dict[str, Any], footage_request: FootageRequest) -> dict[int, str]:
    return services.footage_request_approve(personas["front_member"], footage_request)
