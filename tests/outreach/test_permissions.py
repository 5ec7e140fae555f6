"""Every outreach endpoint, checked for every persona and placement."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from safeward.core.testing import PermissionSuite
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost
from tests.community import factories as cf
from tests.outreach import factories as f

_n = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


class TestSessionPermissions(PermissionSuite):
    model = Session
    basename = "outreachsession"

    def make_object(self, unit: Any) -> Model:
        return f.session(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "date": today().isoformat(),
            "place": "Nhà văn hóa",
            "topic": "drugs",
            "form": "loudspeaker",
            "organisers": ["police", "front"],
            "attendance": 120,
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"attendance": 95}


class TestSocialPostPermissions(PermissionSuite):
    model = SocialPost
    basename = "socialpost"

    def make_object(self, unit: Any) -> Model:
        return f.post(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "platform": "zalo",
            "url": f"https://zalo.me/p/{next(_n)}",
            "date": today().isoformat(),
            "topic": "drugs",
            "reach": 300,
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"reach": 4500}


class TestCoursePermissions(PermissionSuite):
    model = Course
    basename = "course"

    def make_object(self, unit: Any) -> Model:
        return f.course(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Kỹ năng phòng chống ma túy",
            "start_date": today().isoformat(),
            "end_date": (today() + dt.timedelta(days=1)).isoformat(),
            "place": "Hội trường",
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"trainers": "Đại úy Lê Văn Phúc"}


class TestParticipantPermissions(PermissionSuite):
    model = Participant
    basename = "participant"

    def make_object(self, unit: Any) -> Model:
        return f.participant(f.course(unit))

    def unit_of(self, obj: Any) -> Any:
        return obj.course.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        course = f.course(unit, start_date=today(), end_date=today())
        m = cf.member(cf.GroupFactory(unit=unit, founded_on=cf.day_in(unit)), role="leader")
        return {"course": course.pk, "person": m.person_id, "group": m.group_id}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"days_attended": [obj.course.start_date.isoformat()]}


PDF = b"%PDF-1.4\n% leaflet\n"


class TestSessionMaterialPermissions(PermissionSuite):
    model = SessionMaterial
    basename = "sessionmaterial"
    supports = ("list", "detail", "create", "delete")
    create_format = "multipart"
    creates_under_dissolved_units = True

    @pytest.fixture(autouse=True)
    def _media(self, settings: Any, tmp_path: Any) -> None:
        settings.MEDIA_ROOT = tmp_path

    def make_object(self, unit: Any) -> Model:
        session = f.session(unit)
        return SessionMaterial.objects.create(
            session=session, title="Tờ rơi", file=SimpleUploadedFile("to-roi.pdf", PDF)
        )

    def unit_of(self, obj: Any) -> Any:
        return obj.session.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "session": f.session(unit).pk,
            "title": f"Tờ rơi {next(_n)}",
            "file": SimpleUploadedFile("to-roi.pdf", PDF, content_type="application/pdf"),
        }
