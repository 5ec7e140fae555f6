"""Household and person pages: the register of households, each with its persons."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, StreamingHttpResponse

from safeward.core.personal import record_looks
from safeward.core.scoping import has_perm_at
from safeward.core.tables import Table
from safeward.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectListView,
    ObjectView,
    ServiceFormView,
)
from safeward.people import forms as f
from safeward.people import services
from safeward.people.filters import HouseholdFilterSet
from safeward.people.models import Household, Person
from safeward.people.tables import HouseholdTable, PersonTable


class HouseholdListView(ObjectListView):
    queryset = Household.objects.select_related("unit__parent").annotate(
        person_count=Count("persons")
    )
    filterset = HouseholdFilterSet
    table = HouseholdTable
    ordering = ("unit__path", "label")
    template_name = "people/households.html"

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        records = [row.record for row in context["page"].object_list]
        context["table"].show_contacts(request.user, records)
        return super().get_context(request, **context)

    def export(self, request: HttpRequest, table: Table) -> StreamingHttpResponse:
        """The export carries contacts only for the rows whose contacts the user may see."""
        table.show_contacts(request.user, list(table.data))  # type: ignore[attr-defined]
        return super().export(request, table)


class HouseholdView(ObjectView):
    queryset = Household.objects.select_related("unit__parent")
    template_name = "people/household_detail.html"
    context_object_name = "household"

    def get_object_context(
        self, request: HttpRequest, obj: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        persons = Person.objects.restrict(request.user, "view").filter(household=obj)
        table = PersonTable(persons.order_by("full_name"), request=request)
        table.show_contacts(request.user, list(table.data))
        contact = HouseholdTable.gate.allows(request.user, obj)
        if contact:
            record_looks(request.user, HouseholdTable.gate, [obj])
        return {
            **context,
            "persons": table,
            "show_contact": contact,
            "can_add_person": self.can_add_person(request, obj),
        }

    def can_add_person(self, request: HttpRequest, obj: Household) -> bool:
        return has_perm_at(request.user, "people.add_person", obj.unit)


class HouseholdAddView(ServiceFormView):
    queryset = Household.objects.all()
    form_class = f.HouseholdForm
    service = services.household_create
    back_url = "people:households"


class HouseholdEditView(ServiceFormView):
    queryset = Household.objects.select_related("unit")
    action = "change"
    form_class = f.HouseholdEditForm
    service = services.household_update


class HouseholdDeleteView(ObjectDeleteView):
    queryset = Household.objects.select_related("unit")
    service = services.household_delete
    success_url = "people:households"


class PersonAddView(ObjectActionView):
    """Registers a person in a household the user sees, in the household's unit."""

    queryset = Household.objects.select_related("unit")
    action = "view"
    permission = "people.add_person"
    form_class = f.PersonForm
    service = services.person_create

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        return services.person_create(request.user, unit=obj.unit, household=obj, **data)

    def get_success_url(self, request: HttpRequest, result: Any, obj: Any) -> str:
        return str(obj.get_absolute_url())


class PersonEditView(ServiceFormView):
    queryset = Person.objects.select_related("unit", "household")
    action = "change"
    form_class = f.PersonEditForm
    service = services.person_update
    object_kwarg = "person"


class PersonDeleteView(ObjectDeleteView):
    queryset = Person.objects.select_related("unit", "household")
    service = services.person_delete

    def get_success_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())
