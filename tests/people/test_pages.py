"""The household pages: a list filtered by unit and text with members totalled, a household
with its persons, and forms that go through the people services."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from safeward.core.audit import AuditEvent
from safeward.people import services
from safeward.people.models import Household, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood(demo_units: dict[str, Any]) -> Any:
    return demo_units["cam_thinh_khu1_2025"]


@pytest.fixture
def households(personas: dict[str, Any], hood: Any, demo_units: dict[str, Any]) -> list[Any]:
    officer = personas["ward_officer"]
    binh = services.household_create(
        officer, unit=hood, label="Hộ ông Bình", address="Tổ 3", phone="0912345678", members=4
    )
    lan = services.household_create(officer, unit=hood, label="Hộ bà Lan", members=2)
    far = services.household_create(
        personas["other_ward_officer"],
        unit=demo_units["bai_chay_khu"],
        label="Hộ Bãi Cháy",
        members=7,
    )
    services.person_create(officer, unit=hood, household=binh, full_name="Nguyễn Thị Hoa")
    return [binh, lan, far]


def rows(body: str) -> list[str]:
    tbody = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in tbody.split("<tr")[1:]]


def footer(body: str) -> str:
    tfoot = body.split("<tfoot", 1)[1].split("</tfoot>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tfoot)).strip()


def test_officer_lists_households_in_scope_with_contacts_and_members_total(
    client_for: Any, households: list[Any]
) -> None:
    response = client_for("ward_officer").get(reverse("people:households"))
    body = response.content.decode()
    assert response.status_code == 200, body
    found = rows(body)
    assert len(found) == 2, found
    # Attributes are separated from the tag name, or a browser sees no table at all.
    assert '<table class="table">' in body and '<tr class="' in body and "<tdclass" not in body
    assert any("Hộ ông Bình" in r and "Tổ 3" in r and "0912345678" in r for r in found), found
    assert not any("Hộ Bãi Cháy" in r for r in found)
    assert footer(body).endswith("6")  # 4 + 2 members; the other ward's 7 are not counted
    assert reverse("people:household", args=[households[0].pk]) in body
    look = AuditEvent.objects.get(action="people.view_household_contact")
    assert look.sensitive_read and set(look.changes["ids"]) == {h.pk for h in households[:2]}


def test_a_role_that_only_views_households_sees_no_phone_or_address(
    client_for: Any, households: list[Any]
) -> None:
    response = client_for("group_leader").get(reverse("people:households"))
    body = response.content.decode()
    assert response.status_code == 200, body
    assert "Hộ ông Bình" in body
    assert "0912345678" not in body and "Tổ 3" not in body
    detail = client_for("group_leader").get(reverse("people:household", args=[households[0].pk]))
    assert "Nguyễn Thị Hoa" in detail.content.decode()
    assert "0912345678" not in detail.content.decode()
    assert not AuditEvent.objects.filter(action="people.view_household_contact").exists()


def test_the_list_filters_by_unit_and_text_and_refuses_a_bad_unit(
    client_for: Any, households: list[Any], hood: Any
) -> None:
    client = client_for("ward_officer")
    found = rows(client.get(reverse("people:households"), {"q": "Lan"}).content.decode())
    assert len(found) == 1 and "Hộ bà Lan" in found[0]
    by_unit = client.get(reverse("people:households"), {"unit": hood.pk}).content.decode()
    assert len(rows(by_unit)) == 2
    assert client.get(reverse("people:households"), {"unit": "nope"}).status_code == 400


def test_the_list_sorts_by_members(client_for: Any, households: list[Any]) -> None:
    body = client_for("ward_officer").get(reverse("people:households"), {"sort": "-members"})
    found = rows(body.content.decode())
    assert "Hộ ông Bình" in found[0] and "Hộ bà Lan" in found[1]


def test_pages_answer_404_without_permission_or_out_of_scope(
    client_for: Any, households: list[Any]
) -> None:
    binh = households[0]
    for name in ("resident", "outsider"):
        client = client_for(name)
        assert client.get(reverse("people:households")).status_code == 404
        assert client.get(reverse("people:household", args=[binh.pk])).status_code == 404
    other = client_for("other_ward_officer")
    assert other.get(reverse("people:household", args=[binh.pk])).status_code == 404
    assert other.get(reverse("people:household_edit", args=[binh.pk])).status_code == 404
    assert other.post(reverse("people:household_delete", args=[binh.pk])).status_code == 404
    leader = client_for("group_leader")
    assert leader.get(reverse("people:household_edit", args=[binh.pk])).status_code == 404


def test_households_are_added_edited_and_deleted_from_the_pages(
    client_for: Any, hood: Any, personas: dict[str, Any]
) -> None:
    client = client_for("ward_officer")
    made = client.post(
        reverse("people:household_add"),
        {"unit": hood.pk, "label": "Hộ anh Tú", "members": 3, "phone": "", "address": ""},
    )
    household = Household.objects.get(label="Hộ anh Tú")
    assert made.status_code == 302 and made["Location"] == household.get_absolute_url()
    edited = client.post(
        reverse("people:household_edit", args=[household.pk]),
        {"label": "Hộ anh Tú", "members": 5, "phone": "0987", "address": "Tổ 1"},
    )
    assert edited.status_code == 302
    household.refresh_from_db()
    assert (household.members, household.phone) == (5, "0987")
    event = AuditEvent.objects.get(action="household.update", object_id=str(household.pk))
    assert event.changes["members"] == [3, 5]
    too_many = client.post(
        reverse("people:household_edit", args=[household.pk]),
        {"label": "Hộ anh Tú", "members": 61},
    )
    assert too_many.status_code == 400
    gone = client.post(reverse("people:household_delete", args=[household.pk]))
    assert gone.status_code == 302 and not Household.objects.filter(pk=household.pk).exists()
    assert AuditEvent.objects.filter(action="household.delete").exists()


def test_persons_are_added_edited_and_deleted_from_their_household(
    client_for: Any, households: list[Any]
) -> None:
    binh = households[0]
    client = client_for("ward_officer")
    added = client.post(
        reverse("people:person_add", args=[binh.pk]),
        {"full_name": "Nguyễn Văn Tâm", "birth_year": 1990, "phone": "0901", "email": ""},
    )
    assert added.status_code == 302 and added["Location"] == binh.get_absolute_url()
    person = Person.objects.get(full_name="Nguyễn Văn Tâm")
    assert (person.household, person.unit) == (binh, binh.unit)
    detail = client.get(binh.get_absolute_url()).content.decode()
    assert "Nguyễn Văn Tâm" in detail and "0901" in detail and "1990" in detail
    assert reverse("people:person_edit", args=[person.pk]) in detail
    bad_year = client.post(
        reverse("people:person_edit", args=[person.pk]),
        {"full_name": "Nguyễn Văn Tâm", "birth_year": 1800, "household": binh.pk},
    )
    assert bad_year.status_code == 400
    edited = client.post(
        reverse("people:person_edit", args=[person.pk]),
        {"full_name": "Nguyễn Văn Tâm", "birth_year": 1991, "household": binh.pk},
    )
    assert edited.status_code == 302
    person.refresh_from_db()
    assert person.birth_year == 1991
    gone = client.post(reverse("people:person_delete", args=[person.pk]))
    assert gone.status_code == 302 and not Person.objects.filter(pk=person.pk).exists()


def test_navigation_offers_households_to_roles_that_see_them(client_for: Any) -> None:
    url = reverse("people:households")
    assert f'href="{url}"' in client_for("ward_officer").get("/home/").content.decode()
    assert f'href="{url}"' not in client_for("resident").get("/home/").content.decode()


def test_the_csv_export_carries_contacts_only_for_who_may_change_the_household(
    client_for: Any, households: list[Any]
) -> None:
    def export(name: str) -> str:
        response = client_for(name).get(reverse("people:households"), {"export": "csv"})
        body = b"".join(response.streaming_content).decode()
        assert response.status_code == 200 and body.count("\n") >= 1
        return body

    officer = export("ward_officer")
    assert "Hộ ông Bình" in officer and "0912345678" in officer
    leader = export("group_leader")
    assert "Hộ ông Bình" in leader and "0912345678" not in leader and "Tổ 3" not in leader


def test_deleting_a_household_with_a_pledge_on_its_page_is_a_409_that_keeps_it(
    client_for: Any, personas: dict[str, Any], households: list[Any]
) -> None:
    from safeward.community import services as community

    binh = households[0]
    community.pledge_record(personas["ward_officer"], household=binh, signed_by="Bình")
    url = reverse("people:household_delete", args=[binh.pk])
    response = client_for("ward_officer").post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "withdraw the pledge first" in response.content.decode()
    assert Household.objects.filter(pk=binh.pk).exists()
