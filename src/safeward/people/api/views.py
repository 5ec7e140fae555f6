"""Households and the persons in them, in the caller's scope; every write through a service."""

from __future__ import annotations

from typing import Any

from safeward.core.api import ScopedViewSet
from safeward.core.viewkit import reject_fixed
from safeward.people import services
from safeward.people.api import serializers as s
from safeward.people.filters import HouseholdFilterSet, PersonFilterSet
from safeward.people.models import Household, Person


class HouseholdViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a household's label is unique in its unit, which still exists",
            "a household lists no more persons than members",
        ),
    }
    model = Household
    serializer_class = s.HouseholdSerializer
    filterset_class = HouseholdFilterSet
    select_related = ("unit",)
    prefetch_related = ("persons",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.household_create(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit")
        serializer.instance = services.household_update(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance: Household) -> None:
        services.household_delete(self.request.user, instance)


class PersonViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a person's household is in the person's neighbourhood",
            "the unit still exists",
            "the year of birth is plausible",
        ),
    }
    model = Person
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilterSet
    select_related = ("unit", "household")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.person_create(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit")
        serializer.instance = services.person_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: Person) -> None:
        services.person_delete(self.request.user, instance)
