"""Session, post, course and participant rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.outreach import services
from safeward.outreach.models import Participant, Session
from tests.community import factories as cf
from tests.outreach import factories as f


@pytest.fixture
def ward(demo_units: dict[str, Any]) -> Any:
    return demo_units["cua_ong"]


def _session(actor: Any, ward: Any, **kwargs: Any) -> Session:
    values = {
        "unit": ward,
        "date": timezone.localdate(),
        "place": "Nhà văn hóa",
        "topic": "drugs",
        **kwargs,
    }
    return services.session_create(actor, **values)


def test_future_sessions_are_planned(personas: dict[str, Any], ward: Any) -> None:
    session = _session(
        personas["front_member"], ward, date=timezone.localdate() + dt.timedelta(days=3)
    )
    assert session.status == "planned"
    with pytest.raises(DomainError) as err:
        _session(
            personas["front_member"],
            ward,
            date=timezone.localdate() + dt.timedelta(days=3),
            status="held",
        )
    assert err.value.field == "status"


def test_negative_attendance_is_refused(personas: dict[str, Any], ward: Any) -> None:
    with pytest.raises(DomainError) as err:
        _session(personas["front_member"], ward, attendance=-5)
    assert err.value.field == "attendance"
    assert not Session.objects.filter(unit=ward).exists()


def test_attendance_above_the_unit_population_is_refused(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    with pytest.raises(DomainError) as err:
        _session(personas["front_member"], hood, attendance=hood.population + 1)
    assert err.value.field == "attendance"
    assert str(hood.population) in err.value.message


def test_online_audiences_are_not_capped_by_population(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    session = _session(
        personas["front_member"], hood, form="livestream", attendance=hood.population * 3
    )
    assert session.attendance == hood.population * 3


def test_a_roster_sets_the_attendance(personas: dict[str, Any], ward: Any) -> None:
    people = [cf.PersonFactory(unit=ward) for _n in range(3)]
    session = _session(personas["front_member"], ward, attendees=people)
    assert session.attendance == 3
    with pytest.raises(DomainError):
        _session(personas["front_member"], ward, attendees=people, attendance=2)


def test_duplicate_post_links_are_refused(personas: dict[str, Any], ward: Any) -> None:
    values = {
        "unit": ward,
        "platform": "facebook",
        "url": "https://facebook.com/p/1",
        "date": timezone.localdate(),
        "topic": "drugs",
        "reach": 10,
    }
    services.post_create(personas["front_member"], **values)
    with pytest.raises(DomainError) as err:
        services.post_create(personas["front_member"], **values)
    assert err.value.field == "url"


def test_course_participant_must_belong_to_a_group(personas: dict[str, Any], ward: Any) -> None:
    course = f.course(ward)
    outsider = cf.PersonFactory(unit=ward)
    with pytest.raises(DomainError) as err:
        services.participant_add(personas["ward_officer"], course=course, person=outsider)
    assert err.value.field == "person"
    assert "not a leader or member" in err.value.message
    m = cf.member(cf.GroupFactory(unit=ward), role="leader")
    p = services.participant_add(personas["ward_officer"], course=course, person=m.person)
    assert p.group == m.group


def test_open_courses_take_anyone(personas: dict[str, Any], ward: Any) -> None:
    course = f.course(ward, requires_group_role=False)
    p = services.participant_add(
        personas["ward_officer"], course=course, person=cf.PersonFactory(unit=ward)
    )
    assert p.group is None


def test_attendance_days_must_be_course_days_and_passing_completes(
    personas: dict[str, Any], ward: Any
) -> None:
    course = f.course(ward)
    participant = f.participant(course)
    officer = personas["ward_officer"]
    with pytest.raises(DomainError) as err:
        services.participant_mark_attendance(
            officer, participant, days=[course.end_date + dt.timedelta(days=1)]
        )
    assert err.value.field == "days_attended"
    with pytest.raises(DomainError):
        services.participant_assess(officer, participant, result="passed")
    services.participant_mark_attendance(officer, participant, days=course.days())
    services.participant_assess(officer, participant, result="passed")
    participant.refresh_from_db()
    assert participant.completed and participant.certificate_number


def test_course_dates_in_order(personas: dict[str, Any], ward: Any) -> None:
    with pytest.raises(DomainError) as err:
        services.course_create(
            personas["ward_officer"],
            unit=ward,
            title="T",
            place="P",
            start_date=dt.date(2026, 12, 5),
            end_date=dt.date(2026, 12, 1),
        )
    assert err.value.field == "end_date"


def test_leaders_trained_shows_who_and_when(personas: dict[str, Any], ward: Any) -> None:
    course = f.course(ward)
    trained = f.participant(course, completed=True, result="passed")
    cf.member(cf.GroupFactory(unit=ward), role="leader")
    rows = services.leaders_trained([ward.path])
    by_person = {r["membership"].person_id: r["trained_on"] for r in rows}
    assert by_person[trained.person_id] == course.end_date
    assert sorted(v is None for v in by_person.values()) == [False, True]


def test_read_helpers_filter_by_paths_and_dates(ward: Any, demo_units: dict[str, Any]) -> None:
    f.session(ward, date=dt.date(2025, 9, 1))
    f.session(demo_units["cam_thinh"], date=dt.date(2024, 3, 1))
    f.session(demo_units["bai_chay"], date=dt.date(2025, 9, 1))
    assert services.sessions_in([ward.path], None, None).count() == 1
    both = [ward.path, demo_units["cam_thinh"].path]
    assert services.sessions_in(both, dt.date(2024, 1, 1), dt.date(2024, 12, 31)).count() == 1
    assert Session.objects.in_unit(ward).count() == 2
    assert Participant.objects.in_unit(ward).count() == 0
