"""API base: pagination, error shape, and the scoped viewset all endpoints derive from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DataError, IntegrityError, models
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import relations, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeward.core.errors import DomainError
from safeward.core.filters import ScopedFilterSet
from safeward.core.instances import plain_copy
from safeward.core.scoping import has_perm_anywhere

# The widest integer any column holds (PostgreSQL bigint, SQLite INTEGER).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, ProtectedError | RestrictedError):
        return _conflict(_referred_message(exc), "protected")
    if isinstance(exc, IntegrityError):
        return _conflict(_("This change conflicts with a record that already exists."), "conflict")
    if isinstance(exc, DataError | OverflowError):
        body = {"detail": _("A value is out of the range it can take."), "code": "out_of_range"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, ValidationError):
        kinds = _fault_codes(exc)
        # A record named that does not exist decides first: the request cannot be read
        # further (a value clashing with an existing record is then beside the point).
        if "does_not_exist" in kinds and kinds <= {"does_not_exist", "unique"}:
            return _field_error_response(exc, "not_found", status.HTTP_404_NOT_FOUND)
        if kinds == {"unique"}:
            # Well formed, but a record with these values exists: the state conflicts.
            return _field_error_response(exc, "conflict", status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


def _leaves(tree: Any) -> list[Any]:
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _leaves(value)]
    if isinstance(tree, list):
        return [leaf for value in tree for leaf in _leaves(value)]
    return [tree]


def _fault_codes(exc: ValidationError) -> set[str]:
    """The codes of a field-keyed validation error's messages (empty for any other shape)."""
    codes = exc.get_codes()
    return {str(c) for c in _leaves(codes)} if isinstance(codes, dict) and codes else set()


def _field_error_response(exc: ValidationError, code: str, http_status: int) -> Response:
    """A body that is well formed but cannot be carried out, in the project's error shape.

    ``does_not_exist`` only (ids or codes naming no record the caller can see) is the 404 of
    any record out of sight: the schema cannot know which ids exist, malformed ids stay a
    400, and out of scope reads exactly like nonexistent. ``unique`` only is a 409.
    """
    assert isinstance(exc.detail, dict)
    errors = {str(name): [str(m) for m in _leaves(found)] for name, found in exc.detail.items()}
    detail = " ".join(
        _("{field}: {message}").format(field=name, message=" ".join(messages))
        for name, messages in errors.items()
    )
    if http_status == status.HTTP_409_CONFLICT:
        from rest_framework.views import set_rollback

        set_rollback()
    return Response({"detail": detail, "code": code, "errors": errors}, status=http_status)


def _conflict(message: str, code: str) -> Response:
    from rest_framework.views import set_rollback

    set_rollback()
    return Response({"detail": message, "code": code}, status=status.HTTP_409_CONFLICT)


def _referred_message(exc: ProtectedError | RestrictedError) -> str:
    """Name the kinds of record that still refer to the object (never the records themselves)."""
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    kinds = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
    return _("This cannot be deleted while other records refer to it: {kinds}.").format(
        kinds=", ".join(kinds)
    )


def bound_numbers(fields: Any) -> Any:
    """Give every integer field without a range the widest one a column holds.

    Model-built fields already carry their column's range; declared ones and those whose
    range a serializer drops for the services to check get ±2^63 at least, so a number
    too large for the database is a field error, never a database error.
    """
    for field in fields.values():
        if isinstance(field, serializers.IntegerField) and not field.read_only:
            _bound_integer(field)
        if type(field) in TEXT_FIELDS and not field.read_only:
            field.__class__ = TEXT_FIELDS[type(field)]
        if (
            isinstance(field, relations.RelatedField)
            and not isinstance(field, JsonReference)
            and not field.read_only
        ):
            field.__class__ = _json_reference(type(field))
    return fields


class JsonReference(relations.RelatedField):  # type: ignore[type-arg]
    """A reference that takes ``""`` as "none" only from a form; in a JSON body "none" is
    ``null``, as the schema says, and an empty string names nothing."""

    def run_validation(self, data: Any = empty) -> Any:
        if data == "" and not _from_a_form(self):
            raise ValidationError(gettext_lazy("Not a valid reference: send null for none."))
        return super().run_validation(data)


_REFERENCES: dict[type[Any], type[Any]] = {}


def _json_reference(cls: type[Any]) -> type[Any]:
    """``cls`` taking references as :class:`JsonReference` does (one class per field class)."""
    if cls not in _REFERENCES:
        _REFERENCES[cls] = type(cls.__name__, (JsonReference, cls), {"__module__": cls.__module__})
    return _REFERENCES[cls]


def _from_a_form(field: Any) -> bool:
    """Whether the body ``field`` reads is a form or multipart body (text only), not JSON."""
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


class JsonText(serializers.CharField):
    """A text field that takes only text in a JSON body, as the schema says (DRF turns a
    number into its digits); a form or multipart body carries text only anyway."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) and not _from_a_form(self):
            self.fail("invalid")
        return str(super().to_internal_value(data))


# Each text field class, and the same class taking only text from JSON.
TEXT_FIELDS: dict[type[Any], type[Any]] = {
    cls: type(cls.__name__, (JsonText, cls), {"__module__": __name__})
    for cls in (
        serializers.CharField,
        serializers.EmailField,
        serializers.URLField,
        serializers.RegexField,
        serializers.SlugField,
        serializers.IPAddressField,
    )
}


def _bound_integer(field: serializers.IntegerField) -> None:
    extra: list[Any] = []
    if field.max_value is None or field.max_value > INT64_MAX:
        field.max_value = INT64_MAX
        message = str(field.error_messages["max_value"]).format(max_value=INT64_MAX)
        extra.append(MaxValueValidator(INT64_MAX, message=message))
    if field.min_value is None or field.min_value < INT64_MIN:
        field.min_value = INT64_MIN
        message = str(field.error_messages["min_value"]).format(min_value=INT64_MIN)
        extra.append(MinValueValidator(INT64_MIN, message=message))
    if extra:
        field.validators = [*field.validators, *extra]


class BoundedFields:
    """Serializer mixin: :func:`bound_numbers` over the final fields (after any ``get_fields``)."""

    @cached_property
    def fields(self) -> Any:
        return bound_numbers(super().fields)  # type: ignore[misc]


class BooleanField(serializers.BooleanField):
    """``true`` or ``false`` in a JSON body, as the schema says; a form or multipart body
    (text only) may still send ``true``/``false``/``1``/``0`` as DRF reads them."""

    default_error_messages = {"invalid": gettext_lazy("Must be true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and _from_a_form(self):
            return bool(super().to_internal_value(data))
        self.fail("invalid", input=data)
        raise AssertionError  # pragma: no cover (fail raises)


class Serializer(BoundedFields, serializers.Serializer[Any]):
    """The base of every plain API serializer."""


class ModelSerializer(BoundedFields, serializers.ModelSerializer[Any]):
    """The base of every model API serializer."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.BooleanField: BooleanField,
    }


class FlatSerializer(Serializer):
    """A serializer of plain fields whose instances copy their fields shallowly.

    DRF deep-copies every declared field for each instance (re-running each field's
    constructor), most of the cost of validating a small request body. Plain fields
    keep no per-request state besides what :meth:`Field.bind` sets on the copy, so a
    shallow copy is enough; nested serializers are refused.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = {}
        for name, field in self._declared_fields.items():
            if isinstance(field, serializers.BaseSerializer):
                raise TypeError(
                    f"{type(self).__name__}.{name}: nested serializers need a deep copy"
                )
            fields[name] = plain_copy(field)
        return fields


VIEWSET_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}
METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSet(viewsets.ModelViewSet[Any]):
    """A viewset whose querysets come only from ``restrict``.

    Subclasses set ``model`` (and ``filterset_class``, the list's filters from the app's
    ``filters.py``, read by the default filter backend) and implement ``perform_create``/``perform_update``/
    ``perform_destroy`` by calling services. An object outside the user's
    scope answers 404; one the user can see but not change answers 403.
    """

    model: ClassVar[type[Model]]
    filterset_class: ClassVar[type[ScopedFilterSet] | None] = None
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    # Rules a request can meet the schema and still break, by action ("write" for create,
    # update and partial update): documented on the operation (``x-domain-rules``).
    domain_rules: ClassVar[Mapping[str, Sequence[str]]] = {}
    action_scopes: ClassVar[dict[str, str]] = {}

    def scope_action(self) -> str:
        """The permission action (view/add/change/delete) this request is checked against."""
        name = getattr(self, "action", None) or ""
        if name in self.action_scopes:
            return self.action_scopes[name]
        if name in VIEWSET_ACTIONS:
            return VIEWSET_ACTIONS[name]
        by_method = METHOD_ACTIONS.get(self.request.method or "GET", "view")
        if getattr(self, "detail", False) and by_method == "add":
            return "change"
        return by_method

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        qs: QuerySet[Any] = self.model.objects.restrict(self.request.user, self.scope_action())  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_object(self) -> Any:
        try:
            return super().get_object()
        except Http404:
            if self.scope_action() != "view":
                lookup = {
                    self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]
                }
                visible = self.model.objects.restrict(self.request.user, "view")  # type: ignore[attr-defined]
                if visible.filter(**lookup).exists():
                    raise PermissionDenied from None
            raise

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meta = self.model._meta
        if not has_perm_anywhere(request.user, f"{meta.app_label}.add_{meta.model_name}"):
            raise PermissionDenied
        return super().create(request, *args, **kwargs)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField[Any]):
    """A primary key the requesting user can see; any other reads as "does not exist".

    The only way a serializer takes a foreign key: the candidates come from
    ``model.objects.restrict(user, action)``, so an id outside the caller's scope
    gets the very error body of a missing id and the view never holds the object.
    ``model`` is a class or, for another app's model, its label (``"cameras.Camera"``),
    as a foreign key names it.
    """

    def __init__(self, model: Any = None, *, action: str = "view", **kwargs: Any) -> None:
        if isinstance(model, str):
            model = apps.get_model(model)
        self.scoped_model = model
        self.scope_action = action
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.scoped_model.objects.restrict(user, self.scope_action)  # type: ignore[no-any-return]

    def to_internal_value(self, data: Any) -> Any:
        # A bool or a float would otherwise be looked up as 1 or 1.0 and found.
        if isinstance(data, bool | float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
