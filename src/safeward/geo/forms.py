"""Form pieces for choosing a unit: today's units where the user holds a permission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from safeward.core.scoping import path_q, scope_prefixes
from safeward.geo.models import AdminUnit, AdminUnitQuerySet, UnitSuccession

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


class _WithFormerNames(forms.models.ModelChoiceIterator):
    """Reads the units each choice was formed from in one more query."""

    def __init__(self, field: forms.ModelChoiceField[Any]) -> None:
        super().__init__(field)
        former = UnitSuccession.objects.select_related("predecessor").order_by(
            "predecessor__sort_key"
        )
        self.queryset = self.queryset.prefetch_related(Prefetch("successions_in", queryset=former))


class CurrentUnitChoiceField(forms.ModelChoiceField[AdminUnit]):
    """A current unit, labelled with the units it was formed from, so a reader who knows
    the place by its name before a reorganisation finds it (the select is searchable)."""

    iterator = _WithFormerNames

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        hint = _("Type to find it, also by a former name")
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": hint}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        own = obj.short_name or obj.name
        names = [s.predecessor.short_name or s.predecessor.name for s in obj.successions_in.all()]
        names = [n for n in dict.fromkeys(names) if n != own]
        if not names:
            return str(obj.name)
        return str(_("{name} (formerly {names})")).format(name=obj.name, names=", ".join(names))
