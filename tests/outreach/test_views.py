"""Outreach pages: sessions, posts, courses, calendars (staff and public), certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.outreach import services
from safeward.outreach.models import Session
from tests.community import factories as cf
from tests.outreach import factories as f


@pytest.mark.parametrize(
    "name",
    [
        "outreach:sessions",
        "outreach:posts",
        "outreach:courses",
        "outreach:staff_calendar",
        "outreach:trained",
        "outreach:import",
    ],
)
def test_pages_render_for_front_members(client_for: Any, name: str) -> None:
    assert client_for("front_member").get(reverse(name)).status_code == 200


def test_front_member_records_a_session(client_for: Any, demo_units: dict[str, Any]) -> None:
    ward = demo_units["cua_ong"]
    response = client_for("front_member").post(
        reverse("outreach:session_add"),
        {
            "unit": ward.pk,
            "date": timezone.localdate().isoformat(),
            "place": "Nhà văn hóa Khu 3",
            "topic": "drugs",
            "form": "in_person",
            "organisers": ["police", "front"],
            "status": "held",
            "attendance": 140,
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(place="Nhà văn hóa Khu 3")
    assert session.organisers == ["police", "front"] and session.attendance == 140


def test_session_form_refuses_absurd_attendance(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    response = client_for("front_member").post(
        reverse("outreach:session_add"),
        {
            "unit": hood.pk,
            "date": timezone.localdate().isoformat(),
            "place": "Sân chợ",
            "topic": "crime",
            "form": "loudspeaker",
            "organisers": ["police"],
            "status": "held",
            "attendance": hood.population + 50,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert str(hood.population) in response.content.decode()
    assert not Session.objects.filter(place="Sân chợ").exists()


def test_session_list_totals_and_filters(client_for: Any, demo_units: dict[str, Any]) -> None:
    ward = demo_units["cua_ong"]
    f.session(ward, topic="drugs", attendance=100)
    f.session(ward, topic="traffic", attendance=40)
    response = client_for("front_member").get(reverse("outreach:sessions"), {"topic": "drugs"})
    assert response.context["page"].paginator.count == 1
    assert response.context["table"].totals == {"attendance": 100}
    tfoot = response.content.decode().split("<tfoot", 1)[1].split("</tfoot>", 1)[0]
    assert ">100<" in tfoot.replace(" ", "").replace("\n", "")


def test_public_calendar_lists_planned_sessions_without_sign_in(demo_units: dict[str, Any]) -> None:
    ward = demo_units["cua_ong"]
    f.session(
        ward,
        date=timezone.localdate() + dt.timedelta(days=5),
        status="planned",
        place="Nhà văn hóa Khu 9",
        attendance=0,
    )
    f.session(ward, date=timezone.localdate() - dt.timedelta(days=5), place="Đã tổ chức")
    body = Client().get(reverse("outreach:calendar")).content.decode()
    assert "Nhà văn hóa Khu 9" in body and "Đã tổ chức" not in body


def test_public_calendar_is_linked_from_the_landing_page(db: Any) -> None:
    body = Client().get("/").content.decode()
    assert reverse("outreach:calendar") in body


def test_staff_calendar_shows_sessions_and_course_days(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    day = dt.date(2025, 9, 10)
    f.session(ward, date=day)
    course = f.course(ward, start_date=day, end_date=day + dt.timedelta(days=1))
    response = client_for("ward_officer").get(
        reverse("outreach:staff_calendar"), {"month": "2025-09"}
    )
    events = [e for week in response.context["weeks"] for c in week for e in c["events"]]
    assert sum(e["kind"] == "course" for e in events) == 2
    assert course.title in response.content.decode()


def test_attendance_form_completes_and_certificate_downloads(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    course = f.course(demo_units["cua_ong"])
    participant = f.participant(course)
    client = client_for("ward_officer")
    response = client.post(
        reverse("outreach:participant", args=[participant.pk]),
        {
            "days": [d.isoformat() for d in course.days()],
            "result": "passed",
        },
    )
    assert response.status_code == 302
    pdf = client.get(reverse("outreach:certificate", args=[participant.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_participant_form_offers_only_group_members(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    course = f.course(ward)
    m = cf.member(cf.GroupFactory(unit=demo_units["cam_thinh_khu1_2025"]), role="leader")
    loner = cf.PersonFactory(unit=ward, full_name="Người ngoài tổ")
    response = client_for("ward_officer").get(reverse("outreach:participant_add", args=[course.pk]))
    body = response.content.decode()
    assert m.person.full_name in body and loner.full_name not in body


def test_trained_leaders_page_for_a_unit(client_for: Any, demo_units: dict[str, Any]) -> None:
    ward = demo_units["cua_ong"]
    f.participant(f.course(ward), completed=True, result="passed")
    response = client_for("ward_officer").get(reverse("outreach:trained"), {"unit": ward.pk})
    assert response.context["trained"] == 1 and response.context["share"] == 100


def test_materials_attach_to_a_session(
    client_for: Any, demo_units: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session = f.session(demo_units["cua_ong"])
    upload = SimpleUploadedFile("to-roi.pdf", b"%PDF-1.4 leaflet", content_type="application/pdf")
    response = client_for("front_member").post(
        reverse("outreach:material_add", args=[session.pk]), {"title": "Tờ rơi", "file": upload}
    )
    assert response.status_code == 302
    assert session.materials.get().title == "Tờ rơi"


@pytest.mark.parametrize(
    ("name", "content", "refused"),
    [
        ("to-roi.pdf", b"just text pretending", True),
        ("slides.pptx", b"PK\x03\x04 a zip archive", False),
        ("notes.txt", b"PK\x03\x04 a zip archive", True),
        ("empty.pdf", b"", True),
    ],
)
def test_materials_are_checked_by_content(
    client_for: Any,
    demo_units: dict[str, Any],
    settings: Any,
    tmp_path: Any,
    name: str,
    content: bytes,
    refused: bool,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session = f.session(demo_units["cua_ong"])
    upload = SimpleUploadedFile(name, content)
    response = client_for("front_member").post(
        reverse("outreach:material_add", args=[session.pk]), {"title": "Tài liệu", "file": upload}
    )
    if not refused:  # a zip archive named like an office file is a document
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not session.materials.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_material_refusals_say_why(demo_units: dict[str, Any], personas: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    session = f.session(demo_units["cua_ong"])
    with translation.override("en"), pytest.raises(DomainError) as err:
        services.material_add(
            personas["front_member"],
            session=session,
            title="Tờ rơi",
            file=SimpleUploadedFile("to-roi.pdf", b"<html>not a pdf</html>"),
        )
    assert err.value.field == "file"
    assert err.value.message == "Only PDF, images, videos and office documents can be attached."
    with translation.override("vi"), pytest.raises(DomainError) as err:
        services.material_add(
            personas["front_member"],
            session=session,
            title="Tờ rơi",
            file=SimpleUploadedFile("to-roi.pdf", b"<html>not a pdf</html>"),
        )
    assert "PDF" in err.value.message and "Only" not in err.value.message


def test_a_removed_material_takes_its_file(
    client_for: Any,
    demo_units: dict[str, Any],
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session = f.session(demo_units["cua_ong"])
    client = client_for("front_member")
    client.post(
        reverse("outreach:material_add", args=[session.pk]),
        {"title": "Tờ rơi", "file": SimpleUploadedFile("to-roi.pdf", b"%PDF-1.4 leaflet")},
    )
    material = session.materials.get()
    assert list(tmp_path.rglob("*.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach:material_delete", args=[material.pk]))
    assert response.status_code == 302
    assert not session.materials.exists()
    assert not list(tmp_path.rglob("*.pdf"))
    # someone else's ward: not found
    other = f.session(demo_units["bai_chay"])
    kept = other.materials.create(title="x", file=SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    assert (
        client_for("ward_officer")
        .post(reverse("outreach:material_delete", args=[kept.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", ["outreach:sessions", "outreach:courses"])
def test_lists_have_a_query_budget(
    client_for: Any, demo_units: dict[str, Any], django_assert_max_num_queries: Any, name: str
) -> None:
    for _n in range(15):
        f.session(demo_units["cua_ong"])
        f.course(demo_units["cua_ong"])
    client = client_for("ward_officer")
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200


def test_roster_is_recorded_from_the_session_page(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    session = f.session(ward, attendance=50)
    people = [cf.PersonFactory(unit=ward) for _n in range(3)]
    client = client_for("front_member")
    response = client.post(
        reverse("outreach:session_roster", args=[session.pk]),
        {"attendees": [p.pk for p in people], "attendance": 60},
    )
    assert response.status_code == 302
    assert session.attendees.count() == 3
    too_few = client.post(
        reverse("outreach:session_roster", args=[session.pk]),
        {"attendees": [p.pk for p in people], "attendance": 2},
    )
    assert too_few.status_code == 400


def test_course_edit_keeps_attended_days_inside_the_dates(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    course = f.course(demo_units["cua_ong"])
    f.participant(course, days_attended=[course.end_date.isoformat()])
    client = client_for("ward_officer")
    data = {
        "title": course.title,
        "start_date": course.start_date.isoformat(),
        "end_date": course.start_date.isoformat(),
        "place": "Hội trường mới",
        "organiser": "police",
        "requires_group_role": "on",
    }
    refused = client.post(reverse("outreach:course_edit", args=[course.pk]), data)
    assert refused.status_code == 400
    data["end_date"] = course.end_date.isoformat()
    assert client.post(reverse("outreach:course_edit", args=[course.pk]), data).status_code == 302
    course.refresh_from_db()
    assert course.place == "Hội trường mới"


def test_course_list_totals_participants_and_links_each_course(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    big = f.course(ward, title="Tập huấn lớn")
    f.participant(big)
    f.participant(big)
    f.participant(f.course(ward, title="Tập huấn nhỏ"))
    response = client_for("ward_officer").get(reverse("outreach:courses"))
    body = response.content.decode()
    assert response.status_code == 200 and reverse("outreach:course", args=[big.pk]) in body
    assert response.context["table"].totals == {"participant_count": 3}
    rows = {r.record.title: r.record.participant_count for r in response.context["page"]}
    assert rows == {"Tập huấn lớn": 2, "Tập huấn nhỏ": 1}


def test_post_list_links_each_post_and_totals_reach(
    client_for: Any, demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    f.post(ward, reach=1200, url="https://example.org/a")
    f.post(ward, reach=300, url="https://example.org/b")
    response = client_for("front_member").get(reverse("outreach:posts"))
    body = response.content.decode()
    assert 'href="https://example.org/a"' in body and 'href="https://example.org/b"' in body
    assert response.context["table"].totals == {"reach": 1500}
