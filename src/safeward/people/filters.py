"""Household and person list filters shared by the API (and pages when they come)."""

from __future__ import annotations

from safeward.core.filters import ScopedFilterSet, SearchFilter, UnitFilter, VisibleFilter
from safeward.people.models import Household, Person


class HouseholdFilterSet(ScopedFilterSet):
    q = SearchFilter("label", "address")
    unit = UnitFilter()

    class Meta(ScopedFilterSet.Meta):
        model = Household


class PersonFilterSet(ScopedFilterSet):
    q = SearchFilter("full_name")
    unit = UnitFilter()
    household = VisibleFilter("people.Household")

    class Meta(ScopedFilterSet.Meta):
        model = Person
