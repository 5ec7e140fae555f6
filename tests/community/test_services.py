"""Group, membership, patrol, model and assessment rules: precise errors, nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeward.community import services
from safeward.community.models import Group, GroupStatusChange, Membership, Patrol
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from tests.community import factories as f


@pytest.fixture
def hood(demo_units: dict[str, Any]) -> Any:
    return demo_units["cam_thinh_khu1_2025"]


def test_group_create_is_audited(personas: dict[str, Any], hood: Any) -> None:
    group = services.group_create(personas["ward_officer"], unit=hood, name="Tổ bờ kè")
    assert group.status == "active"
    assert AuditEvent.objects.filter(action="group.create", object_id=str(group.pk)).exists()


def test_group_cannot_be_founded_in_a_unit_that_no_longer_exists(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as err:
        services.group_create(
            personas["ward_officer"], unit=demo_units["cam_thinh_khu1"], name="Tổ cũ"
        )
    assert err.value.field == "unit"


def test_households_covered_cannot_exceed_population(personas: dict[str, Any], hood: Any) -> None:
    with pytest.raises(DomainError) as err:
        services.group_create(
            personas["ward_officer"], unit=hood, name="Tổ lớn", households_covered=10**6
        )
    assert err.value.field == "households_covered"


def test_a_person_cannot_hold_two_active_roles_in_one_group(
    personas: dict[str, Any], hood: Any
) -> None:
    group = f.led_group(hood)
    person = f.PersonFactory(unit=hood)
    officer = personas["ward_officer"]
    services.membership_add(officer, group=group, person=person, role="member")
    with pytest.raises(DomainError) as err:
        services.membership_add(officer, group=group, person=person, role="deputy")
    assert err.value.field == "person"
    assert "already holds an active role" in err.value.message
    assert Membership.objects.filter(group=group, person=person).count() == 1


def test_a_member_who_left_may_rejoin(personas: dict[str, Any], hood: Any) -> None:
    group = f.led_group(hood)
    m = f.member(group)
    officer = personas["ward_officer"]
    services.membership_end(officer, m, left_on=timezone.localdate())
    again = services.membership_add(officer, group=group, person=m.person, role="deputy")
    assert again.role == "deputy"


def test_group_leader_manages_only_their_own_group(personas: dict[str, Any], hood: Any) -> None:
    leader = personas["group_leader"]
    own, other = f.led_group(hood), f.GroupFactory(unit=hood)
    services.group_update(leader, own, households_covered=20)
    with pytest.raises(PermissionDenied):
        services.group_update(leader, other, households_covered=20)
    with pytest.raises(PermissionDenied):
        services.membership_add(leader, group=other, person=f.PersonFactory(unit=hood))


def test_patrol_hours_come_from_the_times_and_run_past_midnight(
    personas: dict[str, Any], hood: Any
) -> None:
    group = f.led_group(hood)
    m = f.member(group)
    patrol = services.patrol_log(
        personas["group_leader"],
        group=group,
        date=timezone.localdate(),
        start_time=dt.time(22, 0),
        end_time=dt.time(1, 30),
        area="Bờ kè",
        members_present=[m.person],
    )
    assert patrol.hours == pytest.approx(3.5)
    assert list(patrol.members_present.all()) == [m.person]


def test_patrol_rejects_people_who_are_not_members(personas: dict[str, Any], hood: Any) -> None:
    group = f.led_group(hood)
    stranger = f.PersonFactory(unit=hood)
    with pytest.raises(DomainError) as err:
        services.patrol_log(
            personas["group_leader"],
            group=group,
            date=timezone.localdate(),
            start_time=dt.time(20),
            end_time=dt.time(22),
            area="Chợ",
            members_present=[stranger],
        )
    assert err.value.field == "members_present"
    assert not Patrol.objects.filter(group=group).exists()


def test_dissolving_keeps_history_and_ends_memberships(personas: dict[str, Any], hood: Any) -> None:
    group = f.led_group(hood)
    f.member(group)
    services.group_set_status(
        personas["ward_officer"], group, status="dissolved", reason="Sáp nhập"
    )
    group.refresh_from_db()
    assert group.status == "dissolved"
    change = GroupStatusChange.objects.get(group=group)
    assert (change.from_status, change.to_status) == ("active", "dissolved")
    assert not group.memberships.filter(left_on__isnull=True).exists()


def test_evaluation_cannot_predate_the_model(personas: dict[str, Any], hood: Any) -> None:
    model = f.movement_model(hood)
    with pytest.raises(DomainError) as err:
        services.evaluation_add(
            personas["ward_officer"],
            movement_model=model,
            date=model.start_date - dt.timedelta(days=1),
            score=80,
        )
    assert err.value.field == "date"
    assert "before the model started" in err.value.message


def test_replicating_keeps_the_link_to_the_original(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    admin = personas["province_admin"]
    original = services.movement_model_create(
        admin,
        unit=demo_units["cua_ong"],
        name="Dân vận khéo",
        theme="drug_prevention",
        start_date=dt.date(2025, 8, 1),
    )
    replica = services.movement_model_replicate(
        admin, original, unit=demo_units["bai_chay"], start_date=dt.date(2026, 1, 5)
    )
    original.refresh_from_db()
    assert replica.replicated_from == original
    assert original.status == "replicated"
    assert list(replica.units.all()) == [demo_units["bai_chay"]]


def test_model_units_must_lie_inside_the_owner(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    with pytest.raises(DomainError) as err:
        services.movement_model_create(
            personas["province_admin"],
            unit=demo_units["cua_ong"],
            name="X",
            theme="family",
            start_date=dt.date(2025, 8, 1),
            units=[demo_units["bai_chay"]],
        )
    assert err.value.field == "units"


def test_fortress_result_follows_the_checklist(personas: dict[str, Any], hood: Any) -> None:
    officer = personas["ward_officer"]
    full = services.fortress_assess(
        officer,
        unit=hood,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 12, 31),
        checks=f.all_checks(),
    )
    assert full.result == "fortress"
    checks = f.all_checks()
    checks["all_pledged"] = {"met": False, "evidence": ""}
    partial = services.fortress_assess(
        officer,
        unit=hood,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        checks=checks,
    )
    assert partial.result == "progressing"
    checks["no_hotspot"] = {"met": False, "evidence": ""}
    updated = services.fortress_update(officer, partial, checks=checks)
    assert updated.result == "at_risk"


def test_fortress_criterion_met_needs_evidence(personas: dict[str, Any], hood: Any) -> None:
    checks = f.all_checks()
    checks["no_hotspot"]["evidence"] = ""
    with pytest.raises(DomainError) as err:
        services.fortress_assess(
            personas["ward_officer"],
            unit=hood,
            period_start=dt.date(2025, 7, 1),
            period_end=dt.date(2025, 12, 31),
            checks=checks,
        )
    assert "without an evidence note" in err.value.message


def test_unit_criteria_extend_the_checklist(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    services.criterion_add(
        personas["ward_officer"],
        unit=demo_units["cua_ong"],
        code="no_karaoke",
        label="Không có điểm karaoke hoạt động trái phép",
    )
    codes = [code for code, _label in services.checklist_for(demo_units["cam_thinh_khu1_2025"])]
    assert codes[-1] == "no_karaoke"
    assert "no_karaoke" not in [c for c, _l in services.checklist_for(demo_units["bai_chay_khu"])]


def test_criteria_are_added_by_provinces_and_wards_only(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.community.models import FortressCriterion

    for unit, field in [
        (demo_units["cam_thinh_khu1_2025"], "unit"),  # a neighbourhood
        (demo_units["cam_thinh"], "unit"),  # a ward dissolved in 2025
    ]:
        with pytest.raises(DomainError) as err:
            services.criterion_add(
                personas["province_admin"], unit=unit, code="no_karaoke", label="Karaoke"
            )
        assert err.value.field == field
    assert not FortressCriterion.objects.exists()


def test_a_criterion_is_reworded_or_switched_off_not_deleted(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.core.models import AuditEvent

    officer = personas["ward_officer"]
    criterion = services.criterion_add(
        officer, unit=demo_units["cua_ong"], code="no_karaoke", label="Không có karaoke"
    )
    services.criterion_change(officer, criterion, label="Không có karaoke trái phép")
    services.criterion_change(officer, criterion, active=False)
    criterion.refresh_from_db()
    assert (criterion.label, criterion.active) == ("Không có karaoke trái phép", False)
    hood = demo_units["cam_thinh_khu1_2025"]
    assert "no_karaoke" not in [c for c, _l in services.checklist_for(hood)]
    changes = AuditEvent.objects.filter(action="criterion.change").order_by("pk")
    assert [list(e.changes) for e in changes] == [["label"], ["active"]]
    with pytest.raises(DomainError) as err:
        services.criterion_change(officer, criterion, label="  ")
    assert err.value.field == "label"
    with pytest.raises(PermissionDenied):
        services.criterion_change(personas["other_ward_officer"], criterion, active=True)


def test_a_household_pledges_once(personas: dict[str, Any], hood: Any) -> None:
    household = f.HouseholdFactory(unit=hood)
    services.pledge_record(personas["front_member"], household=household)
    with pytest.raises(DomainError) as err:
        services.pledge_record(personas["front_member"], household=household)
    assert err.value.field == "household"


def test_roster_week_lists_seven_days(personas: dict[str, Any], hood: Any) -> None:
    group = f.led_group(hood)
    m = f.member(group)
    monday = dt.date(2026, 11, 23)
    services.roster_slot_add(
        personas["group_leader"],
        group=group,
        person=m.person,
        date=monday + dt.timedelta(days=2),
        start_time=dt.time(20),
        end_time=dt.time(22),
    )
    week = services.roster_week(group, monday)
    assert week[0][0] == monday and len(week) == 7
    assert [len(s) for _d, s in week] == [0, 0, 1, 0, 0, 0, 0]


def test_querysets_chain_unit_and_dates(hood: Any, demo_units: dict[str, Any]) -> None:
    f.patrol(f.GroupFactory(unit=hood), date=dt.date(2025, 9, 3))
    f.patrol(f.GroupFactory(unit=demo_units["cam_thinh_khu1"]), date=dt.date(2024, 5, 2))
    # the 2025 ward includes what was recorded under the ward it was formed from
    ward = demo_units["cua_ong"]
    assert Patrol.objects.in_unit(ward).count() == 2
    assert Patrol.objects.in_unit(ward).between(dt.date(2025, 7, 1), None).count() == 1
    assert Group.objects.in_unit(demo_units["bai_chay"]).count() == 0


def test_a_patrol_may_cite_only_a_report_that_exists(personas: dict[str, Any], hood: Any) -> None:
    from safeward.reports.services import category_by_code, report_submit

    group = f.led_group(hood)
    log = {
        "group": group,
        "date": timezone.localdate(),
        "start_time": dt.time(20),
        "end_time": dt.time(21),
        "area": "Chợ",
    }
    with pytest.raises(DomainError, match="SW-NOPE-0000") as err:
        services.patrol_log(personas["group_leader"], report_reference="sw-nope-0000", **log)
    assert err.value.field == "report_reference"
    assert not Patrol.objects.filter(group=group).exists()
    report = report_submit(
        None,
        category=category_by_code("theft"),
        latitude=hood.centroid_lat,
        longitude=hood.centroid_lon,
        description="Người lạ đi lại nhiều lần",
        channel="web",
    ).report
    code = report.tracking_code
    patrol = services.patrol_log(personas["group_leader"], report_reference=code.lower(), **log)
    assert patrol.report_reference == code
