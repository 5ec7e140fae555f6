"""API base: pagination, error shape, and the scoped viewset all endpoints derive from."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeward.core.errors import DomainError
from safeward.core.filters import ScopedFilterSet
from safeward.core.instances import plain_copy
from safeward.core.scoping import has_perm_anywhere


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return drf_exception_handler(exc, context)


class FlatSerializer(serializers.Serializer):
    """A serializer of plain fields whose instances copy their fields shallowly.

    DRF deep-copies every declared field for each instance (re-running each field's
    constructor), most of the cost of validating a small request body. Plain fields
    keep no per-request state besides what :meth:`Field.bind` sets on the copy, so a
    shallow copy is enough; nested serializers are refused.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
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


class ScopedViewSet(viewsets.ModelViewSet):
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
        qs = self.model.objects.restrict(self.request.user, self.scope_action())  # type: ignore[attr-defined]
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


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key the requesting user can see; any other reads as "does not exist".

    The only way a serializer takes a foreign key: the candidates come from
    ``model.objects.restrict(user, action)``, so an id outside the caller's scope
    gets the very error body of a missing id and the view never holds the object.
    """

    def __init__(self, model: Any = None, *, action: str = "view", **kwargs: Any) -> None:
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

