"""Form pieces for choosing a unit: today's units where the user holds a permission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms

from safeward.core.scoping import path_q, scope_prefixes
from safeward.geo.models import AdminUnit, AdminUnitQuerySet

if TYPE_CHECKING:
    from safeward.accounts.models import User


def units_for(user: User, perm: str, levels: Sequence[str]) -> AdminUnitQuerySet:
    """Current units of ``levels`` where ``user`` holds ``perm``."""
    qs = AdminUnit.objects.current().filter(level__in=levels)
    prefixes = scope_prefixes(user, perm)
    if prefixes is not None:
        qs = qs.filter(path_q("path", prefixes))
    units: AdminUnitQuerySet = qs.select_related("parent").order_by("path")
    return units


class UnitChoiceField(forms.ModelChoiceField[AdminUnit]):
    """A unit, shown with its parent's name (two wards may share a name)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name
