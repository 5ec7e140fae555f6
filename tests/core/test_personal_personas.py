"""Each persona reads the demo through the API and the pages, and sees exactly what its work needs.

The whole demo is built once for the module (and rolled back after it): the group leader,
the analyst and the Front member get the figures and their own work, never the names,
phones and addresses behind them; the ward officer gets them, and every look is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from safeward.cameras.models import Camera, Campaign
from safeward.community.models import Membership
from safeward.core.models import AuditEvent
from safeward.people.models import Household, Person
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db

PERSON_NAME = {"full_name"}
PERSON_DETAILS = {"birth_year", "phone", "email"}
HOUSEHOLD_NAME = {"label"}
HOUSEHOLD_DETAILS = {"address", "phone"}
CUSTODIAN = {"custodian_label", "contact", "preferred_channel"}
ORGANISER = {"organiser_label"}
HANDLING = {"address", "internal_note", "extension_reason"}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from safeward.demo.scenario import run_demo
    from safeward.reports.caches import clear_caches
    from safeward.reports.placing import clear_index

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            run_demo(seed=2024, log=lambda _m: None)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            clear_caches()
            clear_index()


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(user: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    response = api(user).get(url, {"page_size": 200, **params})
    assert response.status_code == 200, response
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def keys(found: list[dict[str, Any]]) -> set[str]:
    return set().union(*(set(row) for row in found))


def sensitive_reads(user: Any, action: str) -> Any:
    return AuditEvent.objects.filter(actor_id=user.pk, action=action, sensitive_read=True)


def demo_rows_exist() -> None:
    assert Person.objects.exists() and Household.objects.exists()
    assert Camera.objects.exists() and Campaign.objects.exists() and Report.objects.exists()


def test_group_leader_counts_people_but_reads_no_name_phone_or_address(
    demo: None, personas: dict[str, Any]
) -> None:
    demo_rows_exist()
    leader = personas["group_leader"]
    persons = rows(leader, "/api/v1/persons/")
    households = rows(leader, "/api/v1/households/")
    assert persons and households, "the demo has people in the leader's neighbourhood"
    assert not keys(persons) & (PERSON_NAME | PERSON_DETAILS)
    assert not keys(households) & (HOUSEHOLD_NAME | HOUSEHOLD_DETAILS)
    assert {"id", "unit", "household"} <= keys(persons)
    assert {"members", "registered_persons"} <= keys(households)
    text = api(leader).get("/api/v1/persons/", {"page_size": 200}).content.decode()
    names = Person.objects.filter(pk__in=[p["id"] for p in persons]).values_list(
        "full_name", flat=True
    )
    assert not [name for name in names if name in text]


def test_group_leader_reads_the_names_of_their_own_group_only(
    demo: None, personas: dict[str, Any]
) -> None:
    leader = personas["group_leader"]
    members = rows(leader, "/api/v1/group-memberships/")
    led = set(Membership.objects.leading(leader).values_list("group_id", flat=True))
    assert members and led
    assert {m["group"] for m in members} <= led
    assert all(m["person_name"] for m in members)


def test_group_leader_and_analyst_read_no_custodian_or_organiser(
    demo: None, personas: dict[str, Any]
) -> None:
    for name in ("group_leader", "analyst"):
        user = personas[name]
        cameras = rows(user, "/api/v1/cameras/")
        campaigns = rows(user, "/api/v1/campaigns/")
        assert cameras and campaigns, name
        assert not keys(cameras) & CUSTODIAN, name
        assert not keys(campaigns) & ORGANISER, name
        assert {"custodian_kind", "organiser_kind"} <= keys(cameras) | keys(campaigns), name
        assert not AuditEvent.objects.filter(actor_id=user.pk, sensitive_read=True).exists()


def test_analyst_reads_no_person_and_no_report_text(demo: None, personas: dict[str, Any]) -> None:
    analyst = personas["analyst"]
    for url in ("/api/v1/persons/", "/api/v1/households/", "/api/v1/reports/"):
        response = api(analyst).get(url)
        listed = response.json().get("results", []) if response.status_code == 200 else []
        assert listed == [], url


def test_group_leader_and_front_member_read_reports_without_address_or_internal_note(
    demo: None, personas: dict[str, Any]
) -> None:
    for name in ("group_leader", "front_member"):
        reports = rows(personas[name], "/api/v1/reports/")
        assert reports, name
        assert not keys(reports) & HANDLING, name
        assert {"description", "unit", "status", "public_note"} <= keys(reports), name


def test_front_member_reads_names_but_not_contacts_and_the_look_is_audited(
    demo: None, personas: dict[str, Any]
) -> None:
    front = personas["front_member"]
    persons = rows(front, "/api/v1/persons/")
    households = rows(front, "/api/v1/households/")
    assert persons and households
    assert keys(persons) >= PERSON_NAME and not keys(persons) & PERSON_DETAILS
    assert keys(households) >= HOUSEHOLD_NAME and not keys(households) & HOUSEHOLD_DETAILS
    looks = sensitive_reads(front, "people.view_person_identity")
    shown = {pk for event in looks for pk in event.changes["ids"]}
    assert {p["id"] for p in persons} | {h["id"] for h in households} <= shown
    assert not sensitive_reads(front, "people.view_person_contact").exists()


def test_ward_officer_reads_everything_needed_and_every_look_is_audited(
    demo: None, personas: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    persons = rows(officer, "/api/v1/persons/")
    cameras = rows(officer, "/api/v1/cameras/")
    campaigns = rows(officer, "/api/v1/campaigns/")
    reports = rows(officer, "/api/v1/reports/")
    assert persons and cameras and campaigns and reports
    assert keys(persons) >= PERSON_NAME | PERSON_DETAILS
    assert keys(cameras) >= CUSTODIAN and keys(campaigns) >= ORGANISER
    assert keys(reports) >= HANDLING
    for action, listed in [
        ("people.view_person_contact", persons),
        ("cameras.view_custodian_contact", cameras),
        ("cameras.view_campaign_organiser", campaigns),
        ("reports.view_report_private", reports),
    ]:
        events = sensitive_reads(officer, action)
        assert sorted(events.get().changes["ids"]) == sorted(r["id"] for r in listed), action


def test_pages_show_the_group_leader_no_custodian_organiser_or_address(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    client = client_for("group_leader")
    report = Report.objects.restrict(personas["group_leader"], "view").first()
    assert report is not None
    Report.objects.filter(pk=report.pk).update(address="Số 12 ngõ 3 phố Lê Lợi")
    campaign = Campaign.objects.restrict(personas["group_leader"], "view").first()
    assert campaign is not None and campaign.organiser_label
    camera = Camera.objects.restrict(personas["group_leader"], "view").first()
    assert camera is not None
    pages = {
        f"/reports/{report.pk}/": "Số 12 ngõ 3 phố Lê Lợi",
        f"/cameras/campaigns/{campaign.pk}/": campaign.organiser_label,
        f"/cameras/{camera.pk}/": camera.custodian_label,
    }
    for url, private in pages.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert private not in page.content.decode(), url


def test_pages_show_the_ward_officer_the_address_and_audit_the_look(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    report = Report.objects.restrict(officer, "change").first()
    assert report is not None
    Report.objects.filter(pk=report.pk).update(address="Số 12 ngõ 3 phố Lê Lợi")
    page = client_for("ward_officer").get(f"/reports/{report.pk}/")
    assert "Số 12 ngõ 3 phố Lê Lợi" in page.content.decode()
    event = sensitive_reads(officer, "reports.view_report_private").get()
    assert event.object_id == str(report.pk)


def test_group_leader_reads_no_member_of_a_group_they_do_not_lead(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    from safeward.community.models import Group

    leader = personas["group_leader"]
    led = Membership.objects.leading(leader).values("group_id")
    other = (
        Group.objects.restrict(leader, "view")
        .exclude(pk__in=led)
        .filter(memberships__isnull=False)
        .first()
    )
    assert other is not None, "the demo has other groups in the leader's neighbourhood"
    names = list(other.memberships.values_list("person__full_name", flat=True))
    for url in (f"/community/groups/{other.pk}/", f"/community/groups/{other.pk}/roster/"):
        page = client_for("group_leader").get(url)
        assert page.status_code == 200, url
        assert not [n for n in names if n in page.content.decode()], url


def session_with_note_and_roster(unit: Any) -> tuple[Any, Person]:
    """A session held in ``unit`` whose note and roster name a person living there."""
    import datetime as dt

    from safeward.outreach.choices import Topic
    from safeward.outreach.models import Session

    person = Person.objects.filter(unit__path__startswith=unit.path).first()
    assert person is not None, "the demo has people there"
    session = Session.objects.create(
        unit=unit,
        date=dt.date(2026, 11, 20),
        place="Nhà văn hóa",
        topic=Topic.values[0],
        attendance=12,
        note="Cần thăm riêng hộ có con nghiện",
    )
    session.attendees.add(person)
    return session, person


def test_group_leader_session_page_has_no_roster_names_and_no_note(
    demo: None, client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    leader = personas["group_leader"]
    session, person = session_with_note_and_roster(demo_units["cam_thinh_khu1_2025"])
    page = client_for("group_leader").get(f"/outreach/sessions/{session.pk}/")
    assert page.status_code == 200 and str(session.place) in page.content.decode()
    assert "Cần thăm riêng" not in page.content.decode()
    assert person.full_name not in page.content.decode()
    assert not AuditEvent.objects.filter(actor_id=leader.pk, sensitive_read=True).exists()


def test_organiser_session_page_shows_roster_and_note_and_audits_the_look(
    demo: None, client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    front = personas["front_member"]
    session, person = session_with_note_and_roster(demo_units["cua_ong"])
    page = client_for("front_member").get(f"/outreach/sessions/{session.pk}/")
    assert "Cần thăm riêng" in page.content.decode()
    assert person.full_name in page.content.decode()
    assert sensitive_reads(front, "outreach.view_session_note").get().object_id == str(session.pk)
    assert sensitive_reads(front, "people.view_person_identity").exists()


def test_front_member_approves_footage_requests_without_learning_the_custodians(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    from safeward.evidence.models import FootageRequest

    front = personas["front_member"]
    footage = FootageRequest.objects.restrict(front, "view").filter(targets__isnull=False).first()
    assert footage is not None, "the demo has footage requests in the Front member's ward"
    labels = [t.camera.custodian_label for t in footage.targets.select_related("camera")]
    page = client_for("front_member").get(f"/evidence/requests/{footage.pk}/")
    assert page.status_code == 200 and footage.report.tracking_code in page.content.decode()
    assert not [label for label in labels if label in page.content.decode()]
    officer_page = client_for("ward_officer").get(f"/evidence/requests/{footage.pk}/")
    if officer_page.status_code == 200:
        assert all(label in officer_page.content.decode() for label in labels)


def _leaders_on_page(client: Any) -> tuple[str, set[str]]:
    from safeward.community.models import Membership

    page = client.get("/community/groups/", {"per_page": 500})
    assert page.status_code == 200
    names = set(
        Membership.objects.active()
        .filter(role="leader")
        .values_list("person__full_name", flat=True)
    )
    return page.content.decode(), names


def test_the_groups_list_names_leaders_only_to_those_who_read_names(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    from safeward.community.models import Group, Membership

    text, names = _leaders_on_page(client_for("ward_officer"))
    shown = {name for name in names if name in text}
    assert shown, "the officer reads the leaders' names"
    assert sensitive_reads(personas["ward_officer"], "people.view_person_identity").exists()

    leader = personas["group_leader"]
    text, _names = _leaders_on_page(client_for("group_leader"))
    led = Membership.objects.leading(leader).values_list("group_id", flat=True)
    own = set(
        Membership.objects.active()
        .filter(group_id__in=led, role="leader")
        .values_list("person__full_name", flat=True)
    )
    others = (
        set(
            Membership.objects.active()
            .filter(role="leader", group__in=Group.objects.restrict(leader, "view"))
            .exclude(group_id__in=led)
            .values_list("person__full_name", flat=True)
        )
        - own
    )
    assert own and all(name in text for name in own), "a leader reads their own group's"
    assert others, "the leader's list has groups led by others"
    assert not [name for name in others if name in text]


def test_a_leaders_member_form_offers_only_their_members_by_name(
    demo: None, client_for: Any, personas: dict[str, Any]
) -> None:
    from safeward.community.models import Group, Membership

    leader = personas["group_leader"]
    group = Group.objects.get(pk=Membership.objects.leading(leader).values("group_id")[:1])
    page = client_for("group_leader").get(f"/community/groups/{group.pk}/members/new/")
    assert page.status_code == 200
    offered = {person.pk for person in page.context["form"].fields["person"].queryset}
    led = Membership.objects.leading(leader).values("group_id")
    members = set(
        Membership.objects.active().filter(group_id__in=led).values_list("person_id", flat=True)
    )
    neighbours = set(Person.objects.filter(unit=group.unit).values_list("pk", flat=True))
    assert offered and offered <= members
    strangers = neighbours - members
    assert strangers, "the neighbourhood has people in no group the leader runs"
    text = page.content.decode()
    names = Person.objects.filter(pk__in=strangers).values_list("full_name", flat=True)
    assert not [name for name in names if f">{name}<" in text]
    admin = client_for("province_admin").get(f"/community/groups/{group.pk}/members/new/")
    assert admin.status_code == 200
    assert {p.pk for p in admin.context["form"].fields["person"].queryset} == neighbours
