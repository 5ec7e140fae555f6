"""Report list filters shared by the staff pages, the staff map and the API."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeward.core.filters import (
    ID_SCHEMA,
    ChoiceFilter,
    Documented,
    FlagFilter,
    ScopedFilterSet,
    SearchFilter,
    UnitFilter,
    VisibleChoiceField,
    parse_id,
)
from safeward.reports.choices import LegalTrack, ReportStatus
from safeward.reports.models import Report, ServiceCategory


class AssigneeField(forms.Field):
    """``me`` or an officer's id."""

    default_error_messages = {"invalid": _("Give “me” or an officer's id.")}

    def to_python(self, value: Any) -> str | int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text == "me":
            return text
        number = parse_id(text)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class AssigneeFilter(Documented, django_filters.Filter):
    field_class = AssigneeField
    schema_extra: ClassVar[dict[str, Any]] = {
        "oneOf": [{"type": "string", "enum": ["me"]}, ID_SCHEMA]
    }

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        if value == "me":
            return qs.filter(assignee=self.parent.request.user)
        return qs.filter(assignee_id=value)


class CategoryFilter(Documented, django_filters.ModelChoiceFilter):
    """A service category by its code; an unknown code names nothing (404 in the API)."""

    field_class = VisibleChoiceField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=ServiceCategory.objects.all(), to_field_name="code", **kwargs)


class ReportFilterSet(ScopedFilterSet):
    """Status (or ``open``), category, track, unit subtree, assignee, overdue, due soon,
    awaiting a reply, code."""

    q = SearchFilter(
        "tracking_code",
        "description",
        "address",
        "category__name",
        help_text="text found in the tracking code, the description, the address or the category",
    )
    status = ChoiceFilter(ReportStatus)
    open_ = FlagFilter(
        method="filter_open",
        label=_("Open reports only"),
        help_text="open reports (ignored with status)",
    )
    category = CategoryFilter(label=_("Category"), help_text="category code")
    track = ChoiceFilter(LegalTrack)
    unit = UnitFilter()
    assignee = AssigneeFilter(label=_("Assignee"), help_text="me or an officer id")
    overdue = FlagFilter(method="filter_overdue", label=_("Overdue only"))
    due_soon = FlagFilter(method="filter_due_soon", label=_("Due soon"))
    awaiting_reply = FlagFilter(
        method="filter_awaiting_reply",
        label=_("Awaiting a reply"),
        help_text="reports whose latest message is the reporter's",
    )

    class Meta(ScopedFilterSet.Meta):
        model = Report

    def filter_open(self, qs: Any, name: str, value: bool) -> Any:
        if not value or self.form.cleaned_data.get("status"):
            return qs
        return qs.open()

    def filter_overdue(self, qs: Any, name: str, value: bool) -> Any:
        return qs.overdue() if value else qs

    def filter_due_soon(self, qs: Any, name: str, value: bool) -> Any:
        return qs.due_soon() if value else qs

    def filter_awaiting_reply(self, qs: Any, name: str, value: bool) -> Any:
        return qs.awaiting_reply() if value else qs
