"""Session and participant imports."""

from __future__ import annotations

from typing import Any

from safeward.core.importing import run_import
from safeward.outreach.imports import PARTICIPANTS, SESSIONS
from safeward.outreach.models import Participant, Session
from tests.community import factories as cf
from tests.outreach import factories as f

HEADER = "unit_code,date,place,topic,form,organisers,attendance\n"


def test_sessions_import_rejects_absurd_attendance_and_duplicates(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    rows = (
        HEADER + f"{hood.code},2025-09-01,Nhà văn hóa,drugs,in_person,police;front,120\n"
        f"{hood.code},2025-09-02,Sân chợ,crime,loudspeaker,police,{hood.population + 1}\n"
        f"{hood.code},2025-09-01,Nhà văn hóa,drugs,in_person,police,90\n"
    )
    result = run_import(personas["front_member"], SESSIONS, "s.csv", rows.encode())
    assert result.rolled_back
    assert [(e.row, e.field) for e in result.errors] == [(3, "attendance"), (4, "")]
    assert not Session.objects.filter(unit=hood).exists()
    ok = run_import(
        personas["front_member"], SESSIONS, "s.csv", (HEADER + rows.splitlines()[1] + "\n").encode()
    )
    assert ok.created == 1
    assert Session.objects.get(unit=hood).organisers == ["police", "front"]


def test_participants_import_marks_attendance_and_result(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    course = f.course(ward)
    m = cf.member(cf.GroupFactory(unit=ward), role="leader")
    days = ";".join(d.isoformat() for d in course.days())
    rows = (
        "course_id,unit_code,full_name,phone,days_attended,result\n"
        f"{course.pk},{ward.code},{m.person.full_name},,{days},passed\n"
        f"{course.pk},{ward.code},Người lạ,,,\n"
    )
    result = run_import(
        personas["ward_officer"], PARTICIPANTS, "p.csv", rows.encode(), partial=True
    )
    assert result.created == 1 and result.errors[0].field == "person"
    participant = Participant.objects.get(course=course)
    assert participant.completed and len(participant.days_attended) == len(course.days())
