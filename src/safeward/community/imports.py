"""Imports of groups and members (CSV/XLSX), and the import page community and outreach share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.community import services
from safeward.community.choices import GroupType
from safeward.community.models import Group
from safeward.core.errors import Conflict, DomainError
from safeward.core.importing import (
    ImportKind,
    cell_date,
    cell_int,
    cell_text,
    cell_unit,
    register_kind,
)
from safeward.core.services import require_perm
from safeward.people import services as people
from safeward.people.models import Person

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def _group_values(row: dict[str, str]) -> dict[str, Any]:
    group_type = row.get("group_type") or GroupType.SECURITY_ORDER
    if group_type not in GroupType.values:
        raise DomainError(
            _("“{value}” is not a valid {field}.").format(
                value=group_type[:40], field="group_type"
            ),
            field="group_type",
        )
    return {
        "name": cell_text(row, "name", max_length=150, required=True),
        "group_type": group_type,
        "founded_on": cell_date(row, "founded_on", required=False),
        "households_covered": cell_int(row, "households_covered", minimum=0),
    }


def check_group(actor: Viewer, row: dict[str, str]) -> Any:
    unit = cell_unit(row)
    require_perm(actor, "community.add_group", unit)
    values = _group_values(row)
    if Group.objects.filter(unit=unit, name=values["name"]).exists():
        raise Conflict(
            _("{unit} already has a group named “{name}”.").format(unit=unit, name=values["name"]),
            field="name",
        )
    return unit


def import_group(actor: Viewer, row: dict[str, str]) -> Group:
    return services.group_create(actor, unit=cell_unit(row), **_group_values(row))


def _find_group(actor: Viewer, row: dict[str, str]) -> Group:
    unit = cell_unit(row)
    name = cell_text(row, "group_name", max_length=150, required=True)
    group = Group.objects.restrict(actor, "change").filter(unit=unit, name=name).first()
    if group is None:
        raise DomainError(
            _("No group named “{name}” you manage in {unit}.").format(name=name, unit=unit),
            field="group_name",
        )
    return group


def find_or_create_person(actor: Viewer, unit: Any, row: dict[str, str]) -> Person:
    """The person of ``unit`` named in the row (and with its phone, when given), else a new one."""
    name = cell_text(row, "full_name", max_length=120)
    phone = cell_text(row, "phone", max_length=20)
    return people.person_find_or_create(actor, unit=unit, full_name=name, phone=phone)


def check_member(actor: Viewer, row: dict[str, str]) -> Any:
    group = _find_group(actor, row)
    cell_text(row, "full_name", max_length=120, required=True)
    cell_text(row, "phone", max_length=20)
    cell_date(row, "joined_on", required=False)
    return group.unit


def import_member(actor: Viewer, row: dict[str, str]) -> Any:
    group = _find_group(actor, row)
    person = find_or_create_person(actor, group.unit, row)
    return services.membership_add(
        actor,
        group=group,
        person=person,
        role=row.get("role") or "member",
        joined_on=cell_date(row, "joined_on", required=False),
    )


GROUPS = ImportKind(
    "groups",
    gettext_lazy("Self-managed groups"),
    ["unit_code", "name", "group_type", "founded_on", "households_covered"],
    lambda r: (r.get("unit_code", ""), r.get("name", "").lower()),
    import_group,
    check=check_group,
)
MEMBERS = ImportKind(
    "members",
    gettext_lazy("Group members"),
    ["unit_code", "group_name", "full_name", "phone", "role", "joined_on"],
    lambda r: (
        r.get("unit_code", ""),
        r.get("group_name", "").lower(),
        r.get("full_name", "").lower(),
        r.get("phone", ""),
    ),
    import_member,
    check=check_member,
)
SHARED_CODES = ["groups", "members", "households", "sessions", "participants"]


def register_kinds() -> None:
    register_kind(GROUPS, "community.add_group")
    register_kind(MEMBERS, "community.add_membership")
