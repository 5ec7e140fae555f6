"""Jurisdiction scoping: which administrative subtrees a user may act on, per permission.

A ``RoleAssignment(user, role, unit)`` grants the role's permissions over the
unit's subtree and over the subtrees of the units it was formed from (its
predecessors through ``UnitSuccession``), so a ward created in July 2025
sees what was recorded under the wards it was merged from.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from safeward.core.lookups import path_upper_bound

UNRESTRICTED = None


def _cache(user: Any) -> dict[str, list[str]]:
    cache = getattr(user, "_safeward_scope_cache", None)
    if cache is None:
        cache = {}
        user._safeward_scope_cache = cache
    return cache


def clear_scope_cache(user: Any) -> None:
    for attr in ("_safeward_scope_cache", "_safeward_assignment_scopes"):
        if hasattr(user, attr):
            delattr(user, attr)


def minimal_prefixes(paths: set[str]) -> list[str]:
    """Drop every path that lies inside another one of the set."""
    result: list[str] = []
    for path in sorted(paths):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def scope_prefixes(user: Any, perm: str) -> list[str] | None:
    """Subtree path prefixes on which ``user`` holds ``perm``; ``None`` means everywhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return UNRESTRICTED
    cache = _cache(user)
    if perm not in cache:
        cache[perm] = _compute_prefixes(user, perm)
    return cache[perm]


def _compute_prefixes(user: Any, perm: str) -> list[str]:
    paths: set[str] = set()
    for permissions, unit_paths in _assignment_scopes(user):
        if perm in permissions:
            paths.update(unit_paths)
    return minimal_prefixes(paths)


def _assignment_scopes(user: Any) -> list[tuple[set[str], list[str]]]:
    """Each active assignment as (permissions, subtree paths incl. predecessors); cached per user."""
    cached = getattr(user, "_safeward_assignment_scopes", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    role_assignment = apps.get_model("accounts", "RoleAssignment")
    from safeward.geo.queries import predecessor_paths

    today = timezone.localdate()
    assignments = (
        role_assignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("role", "unit")
    )
    scopes = [
        (set(a.role.permissions), [a.unit.path, *predecessor_paths(a.unit)]) for a in assignments
    ]
    user._safeward_assignment_scopes = scopes
    return scopes


def has_perm_anywhere(user: Any, perm: str) -> bool:
    prefixes = scope_prefixes(user, perm)
    return prefixes is UNRESTRICTED or bool(prefixes)


def has_perm_at(user: Any, perm: str, unit: Any) -> bool:
    """True when ``user`` holds ``perm`` over ``unit`` (an ``AdminUnit``)."""
    prefixes = scope_prefixes(user, perm)
    if prefixes is UNRESTRICTED:
        return True
    return unit is not None and any(unit.path.startswith(p) for p in prefixes)


def path_q(field: str, prefixes: list[str]) -> Q:
    """A filter matching rows whose ``field`` (a path) lies under any of ``prefixes``."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__subtree": prefix})
    return q


__all__ = [
    "clear_scope_cache",
    "has_perm_anywhere",
    "has_perm_at",
    "path_q",
    "path_upper_bound",
    "scope_prefixes",
]
