"""The footage window on the request form: the browser's pickers, checked to the minute."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safeward.cameras.models import Camera
from safeward.evidence.models import FootageRequest
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db
LOCAL = "%Y-%m-%dT%H:%M"


def _local(moment: dt.datetime, fmt: str = LOCAL) -> str:
    return timezone.localtime(moment).strftime(fmt)


def test_the_window_fields_are_date_time_pickers_around_the_incident(
    officer: Any, report: Report, camera: Camera
) -> None:
    page = officer.get(reverse("evidence:request_add", args=[report.pk])).content.decode()
    start = re.search(r'<input type="datetime-local" name="window_start"[^>]*>', page)
    assert start is not None, page
    tag = start.group(0)
    expected = report.occurred_at.replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    assert f'value="{_local(expected)}"' in tag
    assert f'min="{_local(report.occurred_at - dt.timedelta(hours=24))}"' in tag
    assert 'max="' in tag and 'step="60"' in tag
    assert 'type="datetime-local" name="window_end"' in page


def _post(
    officer: Any, report: Report, camera: Camera, start: dt.datetime, end: dt.datetime
) -> Any:
    return officer.post(
        reverse("evidence:request_add", args=[report.pk]),
        {
            "purpose": "Xác minh",
            "window_start": _local(start),
            "window_end": _local(end),
            "radius_m": 200,
            "cameras": [camera.pk],
        },
    )


def test_a_window_from_the_pickers_is_saved_in_local_time(
    officer: Any, report: Report, camera: Camera
) -> None:
    start = report.occurred_at.replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    response = _post(officer, report, camera, start, start + dt.timedelta(minutes=40))
    assert response.status_code == 302
    footage = FootageRequest.objects.get()
    assert (footage.window_start, footage.window_end) == (start, start + dt.timedelta(minutes=40))


def test_a_window_ending_before_it_starts_names_the_start(
    officer: Any, report: Report, camera: Camera
) -> None:
    start = report.occurred_at
    response = _post(officer, report, camera, start, start - dt.timedelta(minutes=5))
    assert response.status_code == 400
    body = response.content.decode()
    assert f"The window must end after it starts ({_local(start, '%d/%m/%Y %H:%M')})." in body
    assert not FootageRequest.objects.exists()


def test_a_window_ending_in_the_future_is_refused(
    officer: Any, report: Report, camera: Camera
) -> None:
    start = report.occurred_at
    response = _post(officer, report, camera, start, timezone.now() + dt.timedelta(hours=1))
    assert response.status_code == 400
    assert "The window cannot end in the future" in response.content.decode()
    assert not FootageRequest.objects.exists()


def test_a_window_past_24_hours_says_when_it_must_end(
    officer: Any, report: Report, camera: Camera
) -> None:
    start = report.occurred_at - dt.timedelta(hours=26)
    response = _post(officer, report, camera, start, report.occurred_at)
    assert response.status_code == 400
    latest = _local(start + dt.timedelta(hours=24), "%d/%m/%Y %H:%M")
    assert f"The window may last at most 24 hours: end it by {latest}." in response.content.decode()


def test_the_vietnamese_request_page_writes_dates_day_first_in_24_hours(
    client_for: Any, footage_request: FootageRequest
) -> None:
    page = client_for("ward_officer").get(reverse("evidence:request", args=[footage_request.pk]))
    text = page.content.decode()
    assert _local(footage_request.window_start, "%d/%m/%Y %H:%M") in text
    assert " AM" not in text and " PM" not in text
