"""List filters shared by the pages and the API, built on django-filter.

Every list declares one :class:`ScopedFilterSet` in its app's ``filters.py``; the API
reads it through :class:`FilterBackend` (the project's default filter backend) and
pages through the generic views (:mod:`safeward.core.views`). A bad value is never ignored and never a crash:
the API answers 400 in the project's error shape, pages answer 400 with the form and
its errors. The shared filters:

- ``unit``: a unit the user can see; rows under its subtree and under the subtrees
  of the units it was formed from (the same succession mapping ``restrict`` uses);
- ``from``/``to``: YYYY-MM-DD bounds on the model's ``period_field``;
- choices validated against their choice class, ids as positive 64-bit integers,
  yes/no flags, and ``q`` free-text search over the fields worth searching.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import set_override
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

from safeward.core.errors import DomainError, Missing
from safeward.core.scoping import minimal_prefixes, path_q

ID_MAX = 2**63 - 1  # ids are 64-bit signed integers in every database the project runs on
# How the schema writes an id: what :func:`parse_id` accepts, and nothing else.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YES = {"1", "true", "yes", "on"}
NO = {"0", "false", "no", "off"}


def parse_id(value: Any) -> int | None:
    """``value`` as a positive 64-bit id written in ASCII digits, or ``None``."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def parse_iso_date(value: Any) -> dt.date | None:
    """``value`` as a calendar date written YYYY-MM-DD (the schema's ``date``), or ``None``."""
    text = str(value)
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class VisibleChoiceField(forms.ModelChoiceField[Any]):
    """The id of a row of the (already scoped) queryset.

    A value that is not an id at all is ``invalid_choice`` (a 400); a well-formed id or code
    naming no row the requester can see is ``does_not_exist``, which the API answers as a
    404, exactly as it answers any other record the requester cannot see.
    """

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if self.to_field_name is None and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="does_not_exist") from exc


class IsoDateField(forms.DateField):
    """A date written YYYY-MM-DD only, as the schema's ``format: date`` says."""

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        day = parse_iso_date(value)
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class FlagField(forms.Field):
    """A yes/no switch: 1/true/yes/on or 0/false/no/off (empty means "not asked")."""

    default_error_messages = {"invalid": gettext_lazy("Answer 1 (yes) or 0 (no).")}

    def to_python(self, value: Any) -> bool | None:
        text = str(value or "").strip().lower()
        if not text:
            return None
        if text in YES | NO:
            return text in YES
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class FilterForm(forms.Form):
    """The form behind every filter set: also checks that ``from`` is not after ``to``."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("from", _("The start date is after the end date."))
        for name in self._repeated():
            self.add_error(name, _("Give this value once, not several times."))
        return data

    def _repeated(self) -> list[str]:
        """Single-valued parameters sent more than once (``?open=1&open=x``): only one would
        be read, silently, so the request is refused instead."""
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return []
        return [
            name
            for name, field in self.fields.items()
            if not getattr(field.widget, "allow_multiple_selected", False)
            and len(getlist(name)) > 1
        ]


def visible(model_path: str, action: str = "view") -> Callable[[Any], QuerySet[Any]]:
    """A queryset factory for choice filters: the rows of ``model_path`` the requester may see."""

    def rows(request: Any) -> QuerySet[Any]:
        from django.apps import apps

        model = apps.get_model(model_path)
        if request is None:
            return cast("QuerySet[Any]", model._default_manager.none())
        return cast("QuerySet[Any]", model.objects.restrict(request.user, action))

    return rows


def unit_prefixes(unit: Any) -> list[str]:
    """The subtree paths a list filtered to ``unit`` covers: its own and its predecessors'."""
    from safeward.core.units import unit_tree

    return minimal_prefixes({unit.path, *unit_tree().predecessor_paths(unit)})


class Documented:
    """A filter whose API schema type is ``schema_type``, described by its ``help_text``.

    django-filter's own fields do not say what these custom filters accept, so the type
    is given here; drf-spectacular drops the help text of an overridden type unless the
    override carries it.
    """

    schema_type: ClassVar[OpenApiTypes] = OpenApiTypes.STR
    # Keywords that complete the type: bounds, enum, pattern or a whole ``oneOf``.
    schema_extra: ClassVar[dict[str, Any]] = {}
    extra: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = {**(build_basic_type(self.schema_type) or {}), **copy.deepcopy(self.schema_extra)}
        if "oneOf" in schema:
            schema.pop("type", None)
        if self.extra.get("help_text"):
            schema["description"] = str(self.extra["help_text"])
        set_override(self, "field", schema)


class VisibleFilter(Documented, django_filters.ModelChoiceFilter):  # type: ignore[misc]  # django-filter ships no types
    """The id of a row the requester can see (``model`` as ``"app.Model"``); others are 400."""

    field_class = VisibleChoiceField
    schema_type = OpenApiTypes.INT
    schema_extra = ID_SCHEMA

    def __init__(self, model: str, *, action: str = "view", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", visible(model, action))
        super().__init__(**kwargs)


class UnitFilter(VisibleFilter):
    """A unit the requester can see: rows under it or under the units it was formed from.

    The rows' unit path is the model's ``scope_path_field`` unless ``field_name`` names one.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Unit"))
        kwargs.setdefault("help_text", "unit id: its subtree and predecessors")
        super().__init__("geo.AdminUnit", **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(path_q(self.path_field(qs.model), unit_prefixes(value)))

    def path_field(self, model: type[Model]) -> str:
        if self.field_name and self.field_name != "unit":
            return str(self.field_name)
        return str(getattr(model, "scope_path_field", "unit__path"))


class FlagFilter(Documented, django_filters.Filter):  # type: ignore[misc]  # django-filter ships no types
    """A yes/no switch; "yes" applies ``method`` (or ``field_name=True``), "no" leaves all rows."""

    field_class = FlagField
    schema_type = OpenApiTypes.BOOL

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{self.field_name: True})


class ChoiceFilter(django_filters.ChoiceFilter):  # type: ignore[misc]  # django-filter ships no types
    """A value of ``choices`` (a Django choices class); any other value is a 400."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices=choices.choices, **kwargs)


class IsoDateFilter(django_filters.DateFilter):  # type: ignore[misc]  # django-filter ships no types
    """A date written YYYY-MM-DD (no other spelling of a date is accepted)."""

    field_class = IsoDateField


class DateBoundFilter(IsoDateFilter):
    """A YYYY-MM-DD bound on the model's ``period_field`` (``date`` when it names none)."""

    def __init__(self, field_name: str | None = None, **kwargs: Any) -> None:
        self.period_default = field_name is None
        super().__init__(field_name=field_name or "date", **kwargs)


class DateFromFilter(DateBoundFilter):
    def __init__(self, field_name: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("From"))
        kwargs.setdefault("help_text", "YYYY-MM-DD")
        super().__init__(field_name, lookup_expr="gte", **kwargs)


class DateToFilter(DateBoundFilter):
    def __init__(self, field_name: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("To"))
        kwargs.setdefault("help_text", "YYYY-MM-DD")
        super().__init__(field_name, lookup_expr="lte", **kwargs)


class SearchFilter(django_filters.CharFilter):  # type: ignore[misc]  # django-filter ships no types
    """Free text found (case-insensitively) in any of ``fields``."""

    def __init__(self, *fields: str, **kwargs: Any) -> None:
        self.search_fields = fields
        kwargs.setdefault("label", gettext_lazy("Search"))
        super().__init__(field_name=fields[0], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        text = str(value or "").strip()
        if not text:
            return qs
        q = Q()
        for name in self.search_fields:
            q |= Q(**{f"{name}__icontains": text})
        return qs.filter(q)


class ScopedFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    """The base of every list's filter set.

    A declared filter whose name ends in ``_`` is exposed without it (``from_`` reads the
    ``from`` parameter); date bounds without a field use the model's ``period_field``.
    """

    class Meta:
        form = FilterForm
        fields: ClassVar[list[str]] = []

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        filters = {}
        period = getattr(cls._meta.model, "period_field", None) or "date"
        for name, found in super().get_filters().items():
            if isinstance(found, DateBoundFilter) and found.period_default:
                found = copy.copy(found)  # inherited filters are shared with the parent class
                found.field_name = period
            filters[name.rstrip("_")] = found
        return filters

    @classmethod
    def domain_rules(cls) -> list[str]:
        """The rules the filter form checks beyond each value's type (for the API schema)."""
        if {"from", "to"} <= set(cls.base_filters):
            return ["`from` is not after `to`"]
        return []

    def error_detail(self) -> DomainError:
        """The form's errors as the project's error: each message names its parameter.

        A 400, unless the only fault is ids naming no row the requester can see: then the
        :class:`Missing` (404) the API answers for any record out of sight.
        """
        errors = {name: [str(m) for m in messages] for name, messages in self.errors.items()}
        lines = [
            _("{field}: {message}").format(field=name, message=" ".join(messages))
            for name, messages in errors.items()
        ]
        first = next(iter(errors), None)
        codes = {e.code for found in self.errors.as_data().values() for e in found}
        kind = Missing if codes == {"does_not_exist"} else DomainError
        return kind(" ".join(lines), field=first, errors=errors)


class UnitDateFilterSet(ScopedFilterSet):
    """``unit`` (with predecessors), ``from`` and ``to`` on the model's ``period_field``."""

    unit = UnitFilter()
    from_ = DateFromFilter()
    to_ = DateToFilter()


class FilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter ships no types
    """django-filter's DRF backend answering a bad filter value in the project's error shape.

    Filters narrow lists only: a detail or an action reads its object whatever the query says.
    """

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        if getattr(view, "action", "list") != "list":
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise filterset.error_detail()
        return filterset.qs  # type: ignore[no-any-return]


def lists(filterset_class: type[ScopedFilterSet]) -> Callable[[Any], Any]:
    """Mark a page view as a list filtered by ``filterset_class``.

    The mark survives ``login_required`` (it copies the view's attributes); the tests walk
    the URLconf for marked views and check each filter rejects bad values with a 400.
    """

    def mark(view: Any) -> Any:
        view.filterset_class = filterset_class
        return view

    return mark


def error_lines(filters: ScopedFilterSet) -> Sequence[tuple[str, str]]:
    """(label, message) pairs for a page to show next to its filter form."""
    return [
        (str(filters.filters[name].label or name), " ".join(str(m) for m in messages))
        for name, messages in filters.errors.items()
        if name in filters.filters
    ]


class FilterBackendSchema(DjangoFilterExtension):
    """Documents the filter parameters on list operations only, where they apply (actions
    answering many rows would otherwise be documented with them too)."""

    target_class = "safeward.core.filters.FilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(auto_schema.view, "action", "list") != "list":
            return []
        return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)  # type: ignore[no-untyped-call]
