"""Forms for the household and person pages; each offers only units the user may use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.core.scoping import path_q, scope_prefixes
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.people.models import Household

LEVELS = (UnitLevel.WARD, UnitLevel.NEIGHBOURHOOD)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else str(obj.name)


def units_where(user: Any, perm: str) -> Any:
    """Current wards and neighbourhoods where ``user`` holds ``perm``."""
    qs = AdminUnit.objects.current().filter(level__in=LEVELS)
    prefixes = scope_prefixes(user, perm)
    if prefixes is not None:
        qs = qs.filter(path_q("path", prefixes))
    return qs.select_related("parent").order_by("path")


class HouseholdEditForm(forms.Form):
    label = forms.CharField(label=_("Household"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    members = forms.IntegerField(
        label=pgettext_lazy("household", "Members"), min_value=1, max_value=60, initial=1
    )


class HouseholdForm(HouseholdEditForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=AdminUnit.objects.none())

    field_order = ("unit", "label", "address", "phone", "members")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_where(user, "people.add_household")  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=1900, max_value=2100, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class PersonEditForm(PersonForm):
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        households = Household.objects.restrict(user, "view")
        if person is not None:
            households = households.filter(unit__in=[person.unit_id, person.unit.parent_id])
        self.fields["household"].queryset = households.order_by("label")  # type: ignore[attr-defined]
