"""Checks the community and outreach writes share: unit validity, dates, choices, who manages a group."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.community.models import (
    Group,
    Membership,
)
from safeward.community.querysets import MANAGE_ALL_GROUPS
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_at
from safeward.core.services import require_perm
from safeward.geo.choices import UnitLevel

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


def require_unit_valid(unit: Any, day: dt.date, field: str = "unit") -> None:
    """Records are kept against the unit valid on their date."""
    if not unit.is_valid_on(day):
        raise DomainError(
            _("{unit} did not exist on {date}; record it under the unit valid then.").format(
                unit=unit, date=day.isoformat()
            ),
            field=field,
        )


def require_not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(
            _("{field} cannot be in the future ({date}).").format(field=field, date=day),
            field=field,
        )


def require_choice(value: str, choices: Any, field: str) -> None:
    if value not in choices.values:
        raise DomainError(
            _("“{value}” is not a valid {field}.").format(value=value, field=field), field=field
        )


def manages_group(actor: Viewer, group: Group) -> bool:
    """Officers and Front members manage every group in their scope; leaders their own."""
    if has_perm_at(actor, MANAGE_ALL_GROUPS, group.unit):
        return True
    return Membership.objects.leading(actor).filter(group=group).exists()


def require_group_manager(actor: Viewer, group: Group, perm: str) -> None:
    require_perm(actor, perm, group.unit)
    if not manages_group(actor, group):
        raise PermissionDenied(_("Only the leaders of {group} may do this.").format(group=group))


def require_text(value: str, field: str, label: str) -> str:
    if not value or not value.strip():
        raise DomainError(_("{label} is required.").format(label=label), field=field)
    return value.strip()


def unit_population(unit: Any) -> int | None:
    """The unit's population, else the sum over its neighbourhoods when any is known."""
    if unit.population:
        return int(unit.population)
    from django.db.models import Sum

    from safeward.geo.models import AdminUnit

    total = (
        AdminUnit.objects.subtree_of(unit)
        .filter(level=UnitLevel.NEIGHBOURHOOD)
        .aggregate(total=Sum("population"))["total"]
    )
    return int(total) if total else None
