"""Staff pages: lists, details, forms (plain and htmx), the printable roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safeward.community.models import Group, Patrol
from tests.community import factories as f


@pytest.fixture
def hood(demo_units: dict[str, Any]) -> Any:
    return demo_units["cam_thinh_khu1_2025"]


@pytest.mark.parametrize("name", ["community:groups", "community:models", "community:assessments"])
def test_lists_render_for_officers(client_for: Any, name: str) -> None:
    assert client_for("ward_officer").get(reverse(name)).status_code == 200


def test_group_list_filters_by_type_and_rejects_unknown_values(client_for: Any, hood: Any) -> None:
    f.GroupFactory(unit=hood, name="Tổ CCB phố biển", group_type="veterans")
    f.GroupFactory(unit=hood, name="Tổ LG phố chợ", group_type="inter_family")
    client = client_for("ward_officer")
    body = client.get(reverse("community:groups"), {"group_type": "veterans"}).content.decode()
    assert "Tổ CCB phố biển" in body and "Tổ LG phố chợ" not in body
    assert client.get(reverse("community:groups"), {"group_type": "nope"}).status_code == 400


def test_group_outside_scope_is_missing(client_for: Any, demo_units: dict[str, Any]) -> None:
    group = f.GroupFactory(unit=demo_units["bai_chay_khu"])
    assert (
        client_for("ward_officer").get(reverse("community:group", args=[group.pk])).status_code
        == 404
    )


def test_group_leader_logs_a_patrol_for_their_group(client_for: Any, hood: Any) -> None:
    group = f.led_group(hood)
    m = f.member(group)
    client = client_for("group_leader")
    url = reverse("community:patrol_add", args=[group.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "patrol",
            "date": timezone.localdate().isoformat(),
            "start_time": "20:00",
            "end_time": "22:00",
            "area": "Chợ Cửa Ông",
            "members_present": [m.person.pk],
            "observed": "Bình thường",
        },
    )
    assert response.status_code == 302
    patrol = Patrol.objects.get(group=group)
    assert patrol.hours == 2 and patrol.recorded_by.username == "group_leader"
    detail = client.get(reverse("community:group", args=[group.pk])).content.decode()
    assert "Chợ Cửa Ông" in detail


def test_group_leader_cannot_open_another_groups_forms(client_for: Any, hood: Any) -> None:
    other = f.GroupFactory(unit=hood)
    client = client_for("group_leader")
    assert client.get(reverse("community:group", args=[other.pk])).status_code == 200
    assert client.get(reverse("community:patrol_add", args=[other.pk])).status_code == 404


def test_htmx_form_returns_the_partial_with_errors_then_redirects(
    client_for: Any, hood: Any
) -> None:
    client = client_for("ward_officer")
    url = reverse("community:group_add")
    bad = client.post(
        url,
        {
            "unit": hood.pk,
            "name": "Tổ mới",
            "group_type": "clan",
            "founded_on": "2025-08-01",
            "households_covered": 10**7,
        },
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "<html" not in body and "households" in body.lower()
    good = client.post(
        url,
        {
            "unit": hood.pk,
            "name": "Tổ mới",
            "group_type": "clan",
            "founded_on": "2025-08-01",
            "households_covered": 30,
        },
        HTTP_HX_REQUEST="true",
    )
    group = Group.objects.get(name="Tổ mới")
    assert good.status_code == 204
    assert good["HX-Redirect"] == reverse("community:group", args=[group.pk])


def test_member_form_can_register_a_new_person(client_for: Any, hood: Any) -> None:
    group = f.led_group(hood)
    response = client_for("group_leader").post(
        reverse("community:member_add", args=[group.pk]),
        {
            "full_name": "Trần Thị Hằng",
            "phone": "0912345678",
            "role": "member",
            "joined_on": "2025-09-01",
            "contact_preference": "sms",
        },
    )
    assert response.status_code == 302
    assert group.memberships.filter(person__full_name="Trần Thị Hằng").exists()


def test_printable_roster_sheet_shows_the_week(client_for: Any, hood: Any) -> None:
    from safeward.community.models import RosterSlot

    group = f.led_group(hood)
    m = f.member(group)
    monday = dt.date(2026, 11, 23)
    RosterSlot.objects.create(
        group=group,
        person=m.person,
        date=monday + dt.timedelta(days=1),
        start_time=dt.time(20),
        end_time=dt.time(22),
        area="Bờ kè",
    )
    response = client_for("group_leader").get(
        reverse("community:roster", args=[group.pk]), {"week": "2026-11-25"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert m.person.full_name in body and "Bờ kè" in body and "23/11/2026" in body


def test_assessment_form_records_the_checklist(client_for: Any, hood: Any) -> None:
    from safeward.community.choices import DEFAULT_CRITERIA
    from safeward.community.models import FortressAssessment

    data: dict[str, Any] = {
        "unit": hood.pk,
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
    }
    for code, _label in DEFAULT_CRITERIA:
        data[f"met_{code}"] = "on"
        data[f"evidence_{code}"] = "Biên bản"
    response = client_for("front_member").post(reverse("community:assessment_add"), data)
    assert response.status_code == 302
    assert FortressAssessment.objects.get(unit=hood).result == "fortress"


def test_model_detail_and_evaluation_form(client_for: Any, hood: Any) -> None:
    model = f.movement_model(hood)
    client = client_for("ward_officer")
    assert client.get(reverse("community:model", args=[model.pk])).status_code == 200
    bad = client.post(
        reverse("community:model_evaluate", args=[model.pk]), {"date": "2020-01-01", "score": 80}
    )
    assert bad.status_code == 400
    assert model.start_date.isoformat() in bad.content.decode()


@pytest.mark.parametrize("name", ["community:groups", "community:models", "community:assessments"])
def test_lists_have_a_query_budget(
    client_for: Any, hood: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    for _n in range(15):
        f.member(f.GroupFactory(unit=hood))
        f.movement_model(hood)
        f.assessment(hood)
    client = client_for("ward_officer")
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200


def test_group_detail_has_a_query_budget(
    client_for: Any, hood: Any, django_assert_max_num_queries: Any
) -> None:
    group = f.led_group(hood)
    for _n in range(10):
        f.member(group)
        f.patrol(group)
    with django_assert_max_num_queries(40):
        assert (
            client_for("ward_officer").get(reverse("community:group", args=[group.pk])).status_code
            == 200
        )


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("vi", "Tổ tự quản"), ("ar", "المجموعات ذاتية الإدارة"), ("en", "Self-managed groups")],
)
def test_group_list_is_translated(client_for: Any, lang: str, heading: str) -> None:
    client = client_for("ward_officer")
    client.cookies["django_language"] = lang
    body = client.get(reverse("community:groups")).content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert ('dir="rtl"' in body) == (lang == "ar")


def test_home_panel_lists_the_leaders_own_groups(personas: dict[str, Any], hood: Any) -> None:
    from django.template.loader import render_to_string

    from safeward.web.public import home_panels

    assert "community/_home_panel.html" in [p.template for p in home_panels()]
    group = f.led_group(hood, name="Tổ bờ kè phía Đông")
    f.GroupFactory(unit=hood, name="Tổ của người khác")
    body = render_to_string("community/_home_panel.html", {"user": personas["group_leader"]})
    assert group.name in body and "Tổ của người khác" not in body
    assert reverse("community:patrol_add", args=[group.pk]) in body
    assert (
        render_to_string("community/_home_panel.html", {"user": personas["ward_officer"]}).strip()
        == ""
    )


def test_member_leaving_is_recorded_from_the_group_page(client_for: Any, hood: Any) -> None:
    m = f.member(f.led_group(hood))
    client = client_for("group_leader")
    detail = client.get(reverse("community:group", args=[m.group_id])).content.decode()
    assert reverse("community:member_end", args=[m.pk]) in detail
    response = client.post(reverse("community:member_end", args=[m.pk]), {"left_on": "2025-10-01"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.left_on == dt.date(2025, 10, 1)


def test_model_replicates_from_its_page(client_for: Any, demo_units: dict[str, Any]) -> None:
    model = f.movement_model(demo_units["cua_ong"])
    ward = demo_units["cua_ong"]
    response = client_for("ward_officer").post(
        reverse("community:model_replicate", args=[model.pk]),
        {"unit": ward.pk, "start_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert model.replicas.count() == 1


def test_criteria_page_adds_a_unit_criterion(client_for: Any, demo_units: dict[str, Any]) -> None:
    from safeward.community.models import FortressCriterion

    client = client_for("ward_officer")
    assert client.get(reverse("community:criteria")).status_code == 200
    response = client.post(
        reverse("community:criteria"),
        {"unit": demo_units["cua_ong"].pk, "code": "no_gambling", "label": "Không có cờ bạc"},
    )
    assert response.status_code == 302
    assert FortressCriterion.objects.get().code == "no_gambling"
    assert client_for("group_leader").post(reverse("community:criteria"), {}).status_code == 404


def test_a_unit_criterion_is_edited_from_the_checklist_page(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.community import services
    from safeward.community.models import FortressCriterion

    criterion = services.criterion_add(
        personas["ward_officer"], unit=demo_units["cua_ong"], code="no_gambling", label="Cờ bạc"
    )
    client = client_for("ward_officer")
    url = reverse("community:criterion_edit", args=[criterion.pk])
    assert url in client.get(reverse("community:criteria")).content.decode()
    bad = client.post(url, {"label": ""})
    assert bad.status_code == 400
    response = client.post(url, {"label": "Không có cờ bạc"})  # unticked: switched off
    assert response.status_code == 302
    criterion = FortressCriterion.objects.get()
    assert (criterion.label, criterion.active) == ("Không có cờ bạc", False)
    assert client_for("other_ward_officer").get(url).status_code == 404


def _rows(body: str) -> list[str]:
    import re

    tbody = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    cells = [re.sub(r"<[^>]+>", " ", row) for row in tbody.split("<tr")[1:]]
    return [re.sub(r"\s+", " ", row).strip() for row in cells]


def test_model_list_shows_the_original_of_a_replica_and_its_units(
    client_for: Any, hood: Any
) -> None:
    original = f.movement_model(hood, name="Camera an ninh gốc")
    replica = f.movement_model(hood, name="Camera an ninh Khu 1", replicated_from=original)
    client = client_for("ward_officer")
    body = client.get(reverse("community:models"), {"sort": "name"}).content.decode()
    rows = _rows(body)
    assert len(rows) == 2
    assert "Camera an ninh Khu 1 ↳ Camera an ninh gốc" in rows[0] and rows[0].endswith("1")
    assert reverse("community:model", args=[replica.pk]) in body
    assert f"· {hood.parent.name}" in rows[0]  # the unit shows its parent


def test_assessment_list_shows_criteria_met_and_the_result_badge(
    client_for: Any, hood: Any
) -> None:
    f.assessment(hood)
    response = client_for("ward_officer").get(reverse("community:assessments"))
    body = response.content.decode()
    (row,) = _rows(body)
    assert hood.name in row and "1 / 1" in row
    assert 'class="badge warn"' in body


def test_model_list_exports_what_the_filter_shows(client_for: Any, hood: Any) -> None:
    f.movement_model(hood, name="Mô hình ma túy", theme="drug_prevention")
    f.movement_model(hood, name="Mô hình giao thông", theme="cameras")
    response = client_for("ward_officer").get(
        reverse("community:models"), {"theme": "cameras", "export": "csv"}
    )
    text = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "Mô hình giao thông" in text
    assert "Mô hình ma túy" not in text
