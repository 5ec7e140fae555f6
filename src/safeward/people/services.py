"""Writes to households and persons, each audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import object_delete, object_update, require_perm
from safeward.people.models import Household, Person

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

# A household counts its members, the head included (persons registered may be fewer).
MIN_MEMBERS, MAX_MEMBERS = 1, 60


@transaction.atomic
def household_create(
    actor: Viewer, *, unit: Any, label: str, address: str = "", phone: str = "", members: int = 1
) -> Household:
    """Register a household in ``unit``."""
    require_perm(actor, "people.add_household", unit)
    _require_current(unit)
    _check_household(label, members)
    household = Household.objects.create(
        unit=unit, label=label.strip(), address=address, phone=phone, members=members
    )
    audit_record(actor, "household.create", household)
    return household


def _require_current(unit: Any) -> None:
    """People are registered where they live now, not under a unit dissolved since."""
    if not unit.is_valid_on(timezone.localdate()):
        raise Conflict(
            _("{unit} no longer exists; register them under the unit that replaced it.").format(
                unit=unit
            ),
            field="unit",
        )


def _check_household(label: str, members: int) -> None:
    if not label.strip():
        raise DomainError(_("A household needs a name."), field="label")
    if not MIN_MEMBERS <= members <= MAX_MEMBERS:
        raise DomainError(_("A household has between 1 and 60 members."), field="members")


HOUSEHOLD_FIELDS = ["label", "address", "phone", "members"]
PERSON_FIELDS = ["full_name", "household", "birth_year", "phone", "email"]


@transaction.atomic
def household_update(actor: Viewer, household: Household, **changes: Any) -> Household:
    """Correct a household's name, address, phone or size; the unit stays."""
    return object_update(  # type: ignore[no-any-return]
        actor,
        household,
        fields=HOUSEHOLD_FIELDS,
        changes=changes,
        check=lambda h: _check_household(h.label, h.members),
        event="household.update",
    )


@transaction.atomic
def household_delete(actor: Viewer, household: Household) -> None:
    """Remove a household registered by mistake; its persons stay, without a household."""
    object_delete(actor, household, check=_require_no_pledge, event="household.delete")


def _require_no_pledge(household: Household) -> None:
    if hasattr(household, "shield_pledge"):
        raise Conflict(
            _("This household has a family pledge; withdraw the pledge first."),
            field="household",
            code="in_use",
        )


def _check_person(full_name: str, birth_year: int | None, household: Any, unit: Any) -> None:
    if not full_name.strip():
        raise DomainError(_("A person needs a name."), field="full_name")
    if birth_year is not None and not 1900 <= birth_year <= 2100:
        raise DomainError(
            _("The year of birth {year} is not plausible.").format(year=birth_year),
            field="birth_year",
        )
    if household is not None and unit.pk not in (household.unit_id, household.unit.parent_id):
        raise DomainError(
            _("The household is in another neighbourhood than the person."), field="household"
        )


@transaction.atomic
def person_update(actor: Viewer, person: Person, **changes: Any) -> Person:
    """Correct a person's name, household, year of birth or contact details."""
    return object_update(  # type: ignore[no-any-return]
        actor,
        person,
        fields=PERSON_FIELDS,
        changes=changes,
        check=lambda p: _check_person(p.full_name, p.birth_year, p.household, p.unit),
        event="person.update",
    )


@transaction.atomic
def person_delete(actor: Viewer, person: Person) -> None:
    """Remove a person registered by mistake (refused while other records name them)."""
    object_delete(actor, person, event="person.delete")


@transaction.atomic
def person_create(
    actor: Viewer,
    *,
    unit: Any,
    full_name: str,
    household: Household | None = None,
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
    user: Any = None,
) -> Person:
    """Register a person in ``unit``."""
    require_perm(actor, "people.add_person", unit)
    _require_current(unit)
    _check_person(full_name, birth_year, household, unit)
    person = Person.objects.create(
        unit=unit,
        full_name=full_name.strip(),
        household=household,
        birth_year=birth_year,
        phone=phone,
        email=email,
        user=user,
    )
    audit_record(actor, "person.create", person)
    return person


@transaction.atomic
def household_register(
    actor: Viewer,
    *,
    unit: Any,
    label: str,
    address: str = "",
    phone: str = "",
    members: int = 1,
    persons: list[tuple[str, int | None]] | None = None,
) -> Household:
    """Register a household and the persons living in it (name and year of birth only)."""
    persons = persons or []
    household_check(actor, unit=unit, label=label, members=members, persons=persons)
    household = household_create(
        actor, unit=unit, label=label, address=address, phone=phone, members=members
    )
    for full_name, birth_year in persons:
        person_create(
            actor, unit=unit, full_name=full_name, household=household, birth_year=birth_year
        )
    return household


def household_check(
    actor: Viewer, *, unit: Any, label: str, members: int, persons: list[tuple[str, int | None]]
) -> None:
    """What :func:`household_register` would refuse, found without writing."""
    require_perm(actor, "people.add_household", unit)
    if persons:
        require_perm(actor, "people.add_person", unit)
    _require_current(unit)
    _check_household(label, members)
    if len(persons) > members:
        raise DomainError(
            _("The household lists more persons ({persons}) than members ({members}).").format(
                persons=len(persons), members=members
            ),
            field="persons",
        )
    for full_name, birth_year in persons:
        _check_person(full_name, birth_year, None, unit)
    if Household.objects.filter(unit=unit, label=label.strip()).exists():
        raise Conflict(
            _("{unit} already has a household “{label}”.").format(unit=unit, label=label.strip()),
            field="label",
        )


def person_find_or_create(actor: Viewer, *, unit: Any, full_name: str, phone: str = "") -> Person:
    """The person of ``unit`` with this name (and phone, when given) the actor sees, else a new one."""
    qs = Person.objects.restrict(actor, "view").filter(unit=unit, full_name=full_name)
    if phone:
        qs = qs.filter(phone=phone)
    return qs.first() or person_create(actor, unit=unit, full_name=full_name, phone=phone)
