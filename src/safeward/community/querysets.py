"""Chainable, scoped reads: ``.in_unit(unit)``, ``.in_paths(paths)``, ``.between(a, b)``.

Other apps (analytics, outreach) compose these; they never query the tables directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Self

from django.db import models
from django.db.models import Q

from safeward.core.querysets import ScopedQuerySet
from safeward.core.scoping import UNRESTRICTED, minimal_prefixes, path_q, scope_prefixes

MANAGE_ALL_GROUPS = "community.manage_all_groups"


class UnitScopedQuerySet(ScopedQuerySet):
    """A scoped queryset that also reads by unit subtree and by date range.

    The model names its date with ``period_field`` (``None`` when it has none).
    """

    def _path_field(self) -> str:
        return getattr(self.model, "scope_path_field", "unit__path")

    def in_paths(self, paths: Iterable[str]) -> Self:
        """Rows recorded under any of the unit paths (subtrees)."""
        return self.filter(path_q(self._path_field(), minimal_prefixes(set(paths))))

    def in_unit(self, unit: Any) -> Self:
        """Rows under ``unit``'s subtree, including the units it was formed from."""
        from safeward.geo.queries import predecessor_paths

        return self.in_paths([unit.path, *predecessor_paths(unit)])

    def between(self, start: dt.date | None, end: dt.date | None) -> Self:
        """Rows dated within ``[start, end]`` (either bound may be open)."""
        field = getattr(self.model, "period_field", None) or "date"
        qs = self
        if start is not None:
            qs = qs.filter(**{f"{field}__gte": start})
        if end is not None:
            qs = qs.filter(**{f"{field}__lte": end})
        return qs


def managed_groups_q(user: Any, group_field: str, path_field: str) -> Q | None:
    """Rows whose group ``user`` may manage: anywhere they hold the manage-all permission,
    else only groups they lead or deputise. ``None`` means no narrowing."""
    prefixes = scope_prefixes(user, MANAGE_ALL_GROUPS)
    if prefixes is UNRESTRICTED:
        return None
    from safeward.community.models import Membership

    led = Membership.objects.leading(user).values("group_id")
    q = Q(**{f"{group_field}__in": led})
    if prefixes:
        q |= path_q(path_field, prefixes)
    return q


class GroupQuerySet(UnitScopedQuerySet):
    def narrow(self, user: Any, action: str) -> Self:
        if action == "view":
            return self
        q = managed_groups_q(user, "pk", "unit__path")
        return self if q is None else self.filter(q)

    def active(self) -> Self:
        return self.filter(status="active")

    def of_type(self, group_type: str) -> Self:
        return self.filter(group_type=group_type)


class GroupChildQuerySet(UnitScopedQuerySet):
    """Members, patrols and roster slots: a group leader sees and edits only their own group."""

    def narrow(self, user: Any, action: str) -> Self:
        q = managed_groups_q(user, "group_id", "group__unit__path")
        return self if q is None else self.filter(q)


class MembershipQuerySet(GroupChildQuerySet):
    def active(self, day: dt.date | None = None) -> Self:
        if day is None:
            return self.filter(left_on__isnull=True)
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def leading(self, user: Any) -> Self:
        """Active leader or deputy roles held by ``user``'s person record."""
        return self.active().filter(person__user=user, role__in=["leader", "deputy"])


GroupManager = models.Manager.from_queryset(GroupQuerySet)
GroupChildManager = models.Manager.from_queryset(GroupChildQuerySet)
MembershipManager = models.Manager.from_queryset(MembershipQuerySet)
UnitScopedManager = models.Manager.from_queryset(UnitScopedQuerySet)
