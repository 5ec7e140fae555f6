"""Tables of the household list and of a household's persons."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.core.personal import PersonalFields, shown_to
from safeward.core.tables import NumberColumn, Table, TotalColumn, unit_with_parent
from safeward.people.models import Household, Person

# Who may change a household may reach it: the address and phone show only to them,
# and every page that shows them is audited.
HOUSEHOLD_CONTACT = PersonalFields(
    perm="people.change_household",
    fields=("address", "phone"),
    action="people.view_household_contact",
)
PERSON_CONTACT = PersonalFields(
    perm="people.change_person",
    fields=("phone", "email"),
    action="people.view_person_contact",
)


class ContactTable(Table):
    """A table whose contact columns show only on the rows in ``contact_shown``."""

    gate: ClassVar[PersonalFields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact_shown: set[Any] = set()

    def show_contacts(self, user: Any, rows: list[Any]) -> None:
        """Mark (and audit) the rows whose contacts ``user`` may see; hide the columns if none."""
        self.contact_shown = shown_to(user, self.gate, rows)
        if not self.contact_shown:
            for name in self.gate.fields:
                self.columns.hide(name)

    def contact(self, record: Any, name: str) -> Any:
        if record.pk not in self.contact_shown:
            return "—"
        return getattr(record, name) or "—"


class HouseholdTable(ContactTable):
    gate = HOUSEHOLD_CONTACT
    required = ("label",)
    label = tables.Column(verbose_name=_("Household"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    address = tables.Column(verbose_name=_("Address"), empty_values=(), orderable=False)
    phone = tables.Column(verbose_name=_("Phone"), empty_values=(), orderable=False)
    person_count = NumberColumn(verbose_name=_("Persons registered"))
    members = TotalColumn(verbose_name=pgettext_lazy("household", "Members"))

    class Meta(Table.Meta):
        model = Household
        fields: ClassVar[tuple[str, ...]] = ()

    def render_unit(self, record: Household) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: Household) -> str:
        return record.unit.name

    def render_address(self, record: Household) -> Any:
        return self.contact(record, "address")

    def value_address(self, record: Household) -> Any:
        return self.contact(record, "address")

    def render_phone(self, record: Household) -> Any:
        return self.contact(record, "phone")

    def value_phone(self, record: Household) -> Any:
        return self.contact(record, "phone")


class PersonTable(ContactTable):
    gate = PERSON_CONTACT
    required = ("full_name",)
    full_name = tables.Column(verbose_name=_("Full name"))
    birth_year = tables.Column(verbose_name=_("Year of birth"), default="—")
    phone = tables.Column(verbose_name=_("Phone"), empty_values=(), orderable=False)
    email = tables.Column(verbose_name=_("Email"), empty_values=(), orderable=False)

    class Meta(Table.Meta):
        model = Person
        fields: ClassVar[tuple[str, ...]] = ()
        empty_text = _("No one is registered in this household yet.")
        orderable = False

    def render_full_name(self, record: Person) -> Any:
        if record.pk not in self.contact_shown:  # the same permission changes the person
            return record.full_name
        url = reverse("people:person_edit", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.full_name)

    def render_phone(self, record: Person) -> Any:
        return self.contact(record, "phone")

    def render_email(self, record: Person) -> Any:
        return self.contact(record, "email")
