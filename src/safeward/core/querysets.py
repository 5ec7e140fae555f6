"""The scoped queryset every jurisdiction-bound model uses: ``Model.objects.restrict(user, action)``."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.http import Http404

from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes


class ScopedQuerySet(models.QuerySet):
    """Filters to the subtrees where the user holds ``<app>.<action>_<model>``.

    The model names where its unit path lives with ``scope_path_field``
    (default ``"unit__path"``). Need-to-know rules narrow further by
    overriding :meth:`narrow`.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        perm = permission_name(self.model, action)
        prefixes = scope_prefixes(user, perm)
        if prefixes is UNRESTRICTED:
            return self.narrow(user, action)
        if not prefixes:
            return self.none()
        field = getattr(self.model, "scope_path_field", "unit__path")
        return self.filter(path_q(field, prefixes)).narrow(user, action)

    def narrow(self, user: Any, action: str) -> Self:
        return self

    def get_visible(self, user: Any, action: str = "view", **lookup: Any) -> Any:
        """The object the user may see, or 404 (denied looks like missing)."""
        try:
            return self.restrict(user, action).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


def permission_name(model: type[models.Model], action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"
