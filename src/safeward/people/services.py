"""Writes to households and persons, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.services import require_perm
from safeward.people.models import Household, Person


@transaction.atomic
def household_create(
    actor: Any, *, unit: Any, label: str, address: str = "", phone: str = "", members: int = 1
) -> Household:
    """Register a household in ``unit``."""
    require_perm(actor, "people.add_household", unit)
    if not label.strip():
        raise DomainError(_("A household needs a name."), field="label")
    if members < 1 or members > 60:
        raise DomainError(_("A household has between 1 and 60 members."), field="members")
    household = Household.objects.create(
        unit=unit, label=label.strip(), address=address, phone=phone, members=members
    )
    audit_record(actor, "household.create", household)
    return household


@transaction.atomic
def person_create(
    actor: Any,
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
    if not full_name.strip():
        raise DomainError(_("A person needs a name."), field="full_name")
    if birth_year is not None and not 1900 <= birth_year <= 2100:
        raise DomainError(
            _("The year of birth {year} is not plausible.").format(year=birth_year),
            field="birth_year",
        )
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
