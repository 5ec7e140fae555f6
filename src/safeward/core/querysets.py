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

    def restrict(
        self, user: Any, action: str = "view", *, of: type[models.Model] | None = None
    ) -> Self:
        """Rows under the user's subtrees for ``action``; ``of`` names another model whose
        permission decides (units where the user may add an assessment: ``of=Assessment``)."""
        perm = permission_name(of or self.model, action)
        prefixes = scope_prefixes(user, perm)
        if prefixes is UNRESTRICTED:
            return self if of else self.narrow(user, action)
        if not prefixes:
            return self.none()
        field = getattr(self.model, "scope_path_field", "unit__path")
        scoped = self.filter(path_q(field, prefixes))
        return scoped if of else scoped.narrow(user, action)

    def narrow(self, user: Any, action: str) -> Self:
        return self

    def get_visible(
        self,
        user: Any,
        action: str = "view",
        *,
        of: type[models.Model] | None = None,
        **lookup: Any,
    ) -> Any:
        """The object the user may see, or 404 (denied looks like missing)."""
        try:
            return self.restrict(user, action, of=of).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


def permission_name(model: type[models.Model], action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"
