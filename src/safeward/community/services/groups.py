"""Groups, their members, patrols and duty rosters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.community.choices import (
    GroupStatus,
    GroupType,
    MemberRole,
)
from safeward.community.models import (
    Group,
    GroupStatusChange,
    Membership,
    Patrol,
    RosterSlot,
)
from safeward.community.rules import (
    require_choice,
    require_group_manager,
    require_not_future,
    require_text,
    require_unit_valid,
    unit_population,
)
from safeward.core.audit import audit_record, diff
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import (
    acting_user,
    model_fields,
    object_delete,
    object_update,
    require_perm,
)
from safeward.geo.choices import UnitLevel

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

GROUP_FIELDS = ["name", "group_type", "households_covered", "note"]


# --- groups --------------------------------------------------------------------------------
@transaction.atomic
def group_create(
    actor: Viewer,
    *,
    unit: Any,
    name: str,
    group_type: str = GroupType.SECURITY_ORDER,
    founded_on: dt.date | None = None,
    households_covered: int = 0,
    note: str = "",
) -> Group:
    """Set up a self-managed group in a ward or neighbourhood (status active)."""
    require_perm(actor, "community.add_group", unit)
    founded_on = founded_on or timezone.localdate()
    if unit.level not in (UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD):
        raise DomainError(_("A group belongs to a ward or a neighbourhood."), field="unit")
    require_unit_valid(unit, founded_on)
    require_not_future(founded_on, "founded_on")
    require_choice(group_type, GroupType, "group_type")
    _check_households(unit, households_covered)
    group = Group.objects.create(
        unit=unit,
        name=require_text(name, "name", _("A name")),
        group_type=group_type,
        founded_on=founded_on,
        households_covered=households_covered,
        note=note,
    )
    audit_record(actor, "group.create", group, changes=model_fields(group, GROUP_FIELDS))
    return group


def _check_households(unit: Any, households: int) -> None:
    if households < 0:
        raise DomainError(_("Households covered cannot be negative."), field="households_covered")
    population = unit_population(unit)
    if population is not None and households > population:
        raise DomainError(
            _("{count} households is more than the {population} people living in {unit}.").format(
                count=households, population=population, unit=unit
            ),
            field="households_covered",
        )


@transaction.atomic
def group_update(actor: Viewer, group: Group, **changes: Any) -> Group:
    """Change a group's name, type, households covered or note (status has its own service)."""
    require_group_manager(actor, group, "community.change_group")
    return object_update(
        actor, group, fields=GROUP_FIELDS, changes=changes, check=_check_group, event="group.update"
    )


def _check_group(group: Group) -> None:
    require_choice(group.group_type, GroupType, "group_type")
    _check_households(group.unit, group.households_covered)
    group.name = require_text(group.name, "name", _("A name"))


@transaction.atomic
def group_set_status(
    actor: Viewer, group: Group, *, status: str, on: dt.date | None = None, reason: str = ""
) -> GroupStatusChange:
    """Change a group's status and keep the history; dissolving ends every active membership."""
    require_group_manager(actor, group, "community.change_group")
    require_choice(status, GroupStatus, "status")
    on = on or timezone.localdate()
    if status == group.status:
        raise Conflict(
            _("The group is already {status}.").format(status=group.get_status_display()),
            field="status",
        )
    if on < group.founded_on:
        raise DomainError(_("The change cannot be dated before the group was founded."), field="on")
    change = GroupStatusChange.objects.create(
        group=group,
        from_status=group.status,
        to_status=status,
        changed_on=on,
        reason=reason,
        changed_by=acting_user(actor),
    )
    group.status = status
    group.save(update_fields=["status"])
    if status == GroupStatus.DISSOLVED:
        group.memberships.filter(left_on__isnull=True, joined_on__lte=on).update(left_on=on)
    audit_record(
        actor,
        "group.status",
        group,
        reason=reason,
        changes={"status": [change.from_status, status]},
    )
    return change


@transaction.atomic
def group_delete(actor: Viewer, group: Group) -> None:
    """Delete a group with its members, patrols and roster (use dissolve to keep history)."""
    require_group_manager(actor, group, "community.delete_group")
    object_delete(actor, group, event="group.delete")


# --- members -------------------------------------------------------------------------------
def _require_open_group(group: Group, day: dt.date) -> None:
    if group.status == GroupStatus.DISSOLVED:
        raise DomainError(_("{group} is dissolved.").format(group=group), field="group")
    require_unit_valid(group.unit, day, field="group")


@transaction.atomic
def membership_add(
    actor: Viewer,
    *,
    group: Group,
    person: Any,
    role: str = MemberRole.MEMBER,
    joined_on: dt.date | None = None,
    contact_preference: str = "phone",
) -> Membership:
    """Add a person to a group in a role; a person holds one active role per group."""
    require_group_manager(actor, group, "community.add_membership")
    joined_on = joined_on or timezone.localdate()
    require_choice(role, MemberRole, "role")
    _require_open_group(group, joined_on)
    current = Membership.objects.filter(group=group, person=person, left_on__isnull=True).first()
    if current is not None:
        raise Conflict(
            _("{person} already holds an active role ({role}) in {group}.").format(
                person=person, role=current.get_role_display(), group=group
            ),
            field="person",
        )
    membership = Membership.objects.create(
        group=group,
        person=person,
        role=role,
        joined_on=joined_on,
        contact_preference=contact_preference,
    )
    audit_record(actor, "membership.add", membership, changes={"role": role, "person": person.pk})
    return membership


@transaction.atomic
def membership_update(
    actor: Viewer,
    membership: Membership,
    *,
    role: str | None = None,
    contact_preference: str | None = None,
) -> Membership:
    """Change a member's role or contact preference."""
    require_group_manager(actor, membership.group, "community.change_membership")
    before = model_fields(membership, ["role", "contact_preference"])
    if role is not None:
        require_choice(role, MemberRole, "role")
        membership.role = role
    if contact_preference is not None:
        membership.contact_preference = contact_preference
    membership.save()
    after = model_fields(membership, ["role", "contact_preference"])
    audit_record(actor, "membership.update", membership, changes=diff(before, after))
    return membership


@transaction.atomic
def membership_end(
    actor: Viewer, membership: Membership, *, left_on: dt.date | None = None
) -> Membership:
    """Record that a member left the group."""
    require_group_manager(actor, membership.group, "community.change_membership")
    left_on = left_on or timezone.localdate()
    if membership.left_on is not None:
        raise Conflict(
            _("{person} already left on {date}.").format(
                person=membership.person, date=membership.left_on
            ),
            field="left_on",
        )
    if left_on < membership.joined_on:
        raise DomainError(_("The leaving date is before the joining date."), field="left_on")
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(actor, "membership.end", membership, changes={"left_on": left_on})
    return membership


@transaction.atomic
def membership_delete(actor: Viewer, membership: Membership) -> None:
    """Remove a membership recorded by mistake."""
    require_group_manager(actor, membership.group, "community.delete_membership")
    object_delete(actor, membership, event="membership.delete")


# --- patrols and rosters -------------------------------------------------------------------
def patrol_hours(start: dt.time, end: dt.time) -> Decimal:
    """Hours between two times; an end before the start means the patrol ran past midnight."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        minutes += 24 * 60
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _require_active_members(group: Group, people: Iterable[Any], field: str) -> list[Any]:
    people = list(people)
    active = set(group.memberships.filter(left_on__isnull=True).values_list("person_id", flat=True))
    for person in people:
        if person.pk not in active:
            raise DomainError(
                _("{person} is not an active member of {group}.").format(
                    person=person, group=group
                ),
                field=field,
            )
    return people


def _checked_report_reference(code: str) -> str:
    """A cited report must exist in the reports module (when it is installed)."""
    code = (code or "").strip().upper()
    if code and django_apps.is_installed("safeward.reports"):
        from safeward.reports.services import report_tracking_code_exists

        if not report_tracking_code_exists(code):
            raise DomainError(
                _("No report has the tracking code {code}.").format(code=code),
                field="report_reference",
            )
    return code


@transaction.atomic
def patrol_log(
    actor: Viewer,
    *,
    group: Group,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    area: str,
    observed: str = "",
    members_present: Iterable[Any] = (),
    kind: str = "patrol",
    report_reference: str = "",
) -> Patrol:
    """Log a patrol or activity of ``group``; hours come from the start and end times."""
    require_group_manager(actor, group, "community.add_patrol")
    _require_open_group(group, date)
    require_not_future(date, "date")
    present = _require_active_members(group, members_present, "members_present")
    patrol = Patrol.objects.create(
        group=group,
        date=date,
        start_time=start_time,
        end_time=end_time,
        kind=kind,
        area=require_text(area, "area", _("The route or area")),
        observed=observed,
        hours=patrol_hours(start_time, end_time),
        report_reference=_checked_report_reference(report_reference),
        recorded_by=acting_user(actor),
    )
    patrol.members_present.set(present)
    audit_record(
        actor, "patrol.log", patrol, changes={"hours": patrol.hours, "present": len(present)}
    )
    return patrol


@transaction.atomic
def patrol_update(actor: Viewer, patrol: Patrol, **changes: Any) -> Patrol:
    """Correct a patrol's area, observations, times or report reference."""
    require_group_manager(actor, patrol.group, "community.change_patrol")
    allowed = {"area", "observed", "start_time", "end_time", "report_reference", "kind"}
    fields = sorted(set(changes) & allowed)
    before = model_fields(patrol, [*fields, "hours"])
    for key in fields:
        setattr(patrol, key, changes[key])
    patrol.report_reference = _checked_report_reference(patrol.report_reference)
    patrol.area = require_text(patrol.area, "area", _("The route or area"))
    patrol.hours = patrol_hours(patrol.start_time, patrol.end_time)
    patrol.save()
    if "members_present" in changes:
        patrol.members_present.set(
            _require_active_members(patrol.group, changes["members_present"], "members_present")
        )
    audit_record(
        actor,
        "patrol.update",
        patrol,
        changes=diff(before, model_fields(patrol, [*fields, "hours"])),
    )
    return patrol


@transaction.atomic
def patrol_delete(actor: Viewer, patrol: Patrol) -> None:
    """Delete a patrol logged by mistake."""
    require_group_manager(actor, patrol.group, "community.delete_patrol")
    object_delete(actor, patrol, event="patrol.delete")


@transaction.atomic
def roster_slot_add(
    actor: Viewer,
    *,
    group: Group,
    person: Any,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    area: str = "",
) -> RosterSlot:
    """Put an active member on duty for one shift."""
    require_group_manager(actor, group, "community.add_rosterslot")
    _require_open_group(group, date)
    _require_active_members(group, [person], "person")
    if RosterSlot.objects.filter(
        group=group, person=person, date=date, start_time=start_time
    ).exists():
        raise Conflict(
            _("{person} is already on duty at {time} on {date}.").format(
                person=person, time=start_time.strftime("%H:%M"), date=date
            ),
            field="person",
        )
    slot = RosterSlot.objects.create(
        group=group, person=person, date=date, start_time=start_time, end_time=end_time, area=area
    )
    audit_record(actor, "roster.add", slot)
    return slot


@transaction.atomic
def roster_slot_delete(actor: Viewer, slot: RosterSlot) -> None:
    """Take a member off a shift."""
    require_group_manager(actor, slot.group, "community.delete_rosterslot")
    object_delete(actor, slot, event="roster.delete")


def roster_week(group: Group, monday: dt.date) -> list[tuple[dt.date, list[RosterSlot]]]:
    """The seven days from ``monday`` with the group's duty slots on each."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    slots = group.roster_slots.filter(date__range=(days[0], days[-1])).select_related("person")
    by_day: dict[dt.date, list[RosterSlot]] = {d: [] for d in days}
    for slot in slots:
        by_day[slot.date].append(slot)
    return list(by_day.items())
