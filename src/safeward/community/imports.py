"""Imports of groups and members (CSV/XLSX), and the import page both apps share."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeward.community import services
from safeward.community.forms import ImportForm
from safeward.community.models import Group
from safeward.core.errors import DomainError
from safeward.core.importing import (
    ImportKind,
    cell_date,
    cell_int,
    cell_unit,
    run_import,
)
from safeward.core.scoping import has_perm_anywhere
from safeward.people import services as people
from safeward.people.models import Person


def import_group(actor: Any, row: dict[str, str]) -> Group:
    unit = cell_unit(row)
    if Group.objects.filter(unit=unit, name=row["name"]).exists():
        raise DomainError(
            _("{unit} already has a group named “{name}”.").format(unit=unit, name=row["name"]),
            field="name",
        )
    return services.group_create(
        actor,
        unit=unit,
        name=row["name"],
        group_type=row.get("group_type") or "security_order",
        founded_on=cell_date(row, "founded_on", required=False),
        households_covered=cell_int(row, "households_covered"),
    )


def _find_group(actor: Any, row: dict[str, str]) -> Group:
    unit = cell_unit(row)
    group = (
        Group.objects.restrict(actor, "change").filter(unit=unit, name=row["group_name"]).first()
    )
    if group is None:
        raise DomainError(
            _("No group named “{name}” you manage in {unit}.").format(
                name=row["group_name"], unit=unit
            ),
            field="group_name",
        )
    return group


def find_or_create_person(actor: Any, unit: Any, row: dict[str, str]) -> Person:
    """The person of ``unit`` with this name (and phone, when given), else a new one."""
    name, phone = row.get("full_name", "").strip(), row.get("phone", "").strip()
    qs = Person.objects.restrict(actor, "view").filter(unit=unit, full_name=name)
    if phone:
        qs = qs.filter(phone=phone)
    return qs.first() or people.person_create(actor, unit=unit, full_name=name, phone=phone)


def import_member(actor: Any, row: dict[str, str]) -> Any:
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
)
KINDS: dict[str, tuple[ImportKind, str]] = {
    "groups": (GROUPS, "community.add_group"),
    "members": (MEMBERS, "community.add_membership"),
}


def register_import(kind: ImportKind, permission: str) -> None:
    """Offer another kind of file on the shared import page."""
    KINDS[kind.code] = (kind, permission)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    kinds = [
        (c, k.label) for c, (k, perm) in KINDS.items() if has_perm_anywhere(request.user, perm)
    ]
    if not kinds:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        kind = KINDS[form.cleaned_data["kind"]][0]
        upload = form.cleaned_data["file"]
        result = run_import(
            request.user, kind, upload.name, upload.read(), partial=form.cleaned_data["partial"]
        )
        status = 200 if result.ok else 400
    columns = {c: ", ".join(k.columns) for c, (k, _p) in KINDS.items()}
    return render(
        request,
        "community/import.html",
        {"form": form, "result": result, "columns": columns},
        status=status,
    )
