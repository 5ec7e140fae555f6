"""Creating a course participant over the API keeps the days attended and the result sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.core.audit import AuditEvent
from safeward.outreach.models import Participant
from tests.community import factories as cf
from tests.outreach import factories as f

pytestmark = pytest.mark.django_db


def _payload(unit: Any, **extra: Any) -> tuple[Any, dict[str, Any]]:
    today = timezone.localdate()
    course = f.course(unit, start_date=today, end_date=today)
    member = cf.member(cf.GroupFactory(unit=unit, founded_on=cf.day_in(unit)), role="leader")
    return course, {"course": course.pk, "person": member.person_id, **extra}


def test_days_attended_and_result_are_stored_on_create(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    course, body = _payload(demo_units["cam_thinh_khu1_2025"])
    day = course.start_date.isoformat()
    response = client.post(
        "/api/v1/course-participants/",
        {**body, "days_attended": [day], "result": "passed"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["days_attended"] == [day]
    assert response.json()["result"] == "passed" and response.json()["completed"] is True
    stored = Participant.objects.get(pk=response.json()["id"])
    assert stored.days_attended == [day] and stored.certificate_number
    actions = set(
        AuditEvent.objects.filter(object_id=str(stored.pk)).values_list("action", flat=True)
    )
    assert {"participant.add", "participant.attendance"} <= actions


def test_a_bad_day_on_create_leaves_no_participant(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    course, body = _payload(demo_units["cam_thinh_khu1_2025"])
    response = client.post(
        "/api/v1/course-participants/", {**body, "days_attended": ["2001-01-01"]}, format="json"
    )
    assert response.status_code == 400
    assert "days_attended" in response.json()["errors"]
    assert not Participant.objects.filter(course=course).exists()
