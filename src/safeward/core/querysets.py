"""The scoped queryset every jurisdiction-bound model uses: ``Model.objects.restrict(user, action)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes

if TYPE_CHECKING:
    from safeward.core.models import ImportJob
    from safeward.core.scoping import Viewer

_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    """Filters to the subtrees where the user holds ``<app>.<action>_<model>``.

    The model names where its unit path lives with ``scope_path_field``
    (default ``"unit__path"``). Need-to-know rules narrow further by
    overriding :meth:`narrow`.
    """

    def restrict(
        self, user: Viewer, action: str = "view", *, of: type[models.Model] | None = None
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

    def narrow(self, user: Viewer, action: str) -> Self:
        return self

    def get_visible(
        self,
        user: Viewer,
        action: str = "view",
        *,
        of: type[models.Model] | None = None,
        **lookup: Any,
    ) -> Any:
        """The object the user may see, or 404 (denied looks like missing)."""
        try:
            return self.restrict(user, action, of=of).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


def permission_name(model: type[models.Model], action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def pending_visible() -> models.Q:
    """Rows no unfinished import is writing: a row an import wrote becomes visible when its
    job is done, the import's last transaction changing that one job row however many rows
    it wrote (the marks are cleared afterwards). A subquery, not a join, so that updates
    through the managers stay single-table statements."""
    from safeward.core.models import ImportJob  # core.models builds on this module

    unfinished = ImportJob.objects.exclude(status="done").values("pk")
    return ~models.Q(pending_import__in=unfinished)


def pending_import_field() -> models.ForeignKey[Any, Any]:
    """The mark of a row an import is still writing (see :mod:`safeward.core.importing`)."""
    return models.ForeignKey(
        "core.ImportJob",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class PendingHiddenManager(models.Manager[Any]):
    """A manager without the rows of an import still being written; combine it with a
    queryset as ``PendingHiddenManager.from_queryset(SomeQuerySet)``."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(pending_visible())


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    """An import is seen by its uploader and by whoever may import that kind in its unit."""

    def restrict(self, user: Viewer, action: str = "view") -> Self:
        from safeward.core.importing import KINDS

        if not getattr(user, "is_authenticated", False):
            return self.none()
        visible = models.Q(user=user)
        for code, registered in KINDS.items():
            prefixes = scope_prefixes(user, registered.permission)
            if prefixes is UNRESTRICTED:
                visible |= models.Q(kind=code)
            elif prefixes:
                visible |= models.Q(kind=code) & path_q("unit__path", prefixes)
        return self.filter(visible)

    def get_visible(self, user: Viewer, action: str = "view", **lookup: Any) -> ImportJob:
        try:
            return self.restrict(user, action).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
