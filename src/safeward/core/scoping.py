"""Jurisdiction scoping: which administrative subtrees a user may act on, per permission.

A ``RoleAssignment(user, role, unit)`` grants the role's permissions over the
unit's subtree and over the subtrees of the units it was formed from (its
predecessors through ``UnitSuccession``), so a ward created in July 2025
sees what was recorded under the wards it was merged from.

A user's assignments and prefixes, API tokens, and the successions analytics maps
history through are also kept per process (:class:`ScopeCache`) for ``CACHE_SECONDS``:
every request of a token client and every dashboard read would otherwise read them
again. Only committed reads are kept, and any saved or deleted assignment, role, user,
token, unit or succession drops the whole cache at once in every process: the change
rewrites a stamp file in ``VAR_DIR`` (the processes of one machine) and bumps a counter
in Django's cache (Redis, shared by several machines).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from safeward.core.lookups import path_upper_bound
from safeward.core.units import Unit, unit_tree

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeward.accounts.models import RoleAssignment, User

    # Whoever a read is scoped for: a signed-in user, the anonymous one, or nobody (a task).
    Viewer: TypeAlias = User | AnonymousUser | None

UNRESTRICTED = None
CACHE_SECONDS = 5.0
MAX_ENTRIES = 20_000
GENERATION_KEY = "safeward:scope-generation"
STAMP_NAME = "scope-generation"
SCOPE_MODELS = frozenset(
    {
        "accounts.roleassignment",
        "accounts.role",
        "accounts.user",
        "accounts.apitoken",
        "geo.adminunit",
        "geo.unitsuccession",
    }
)


class ScopeCache:
    """Per-process values derived from scope data, valid while no such data has changed."""

    def __init__(self) -> None:
        # Tests that exercise the cache inside their rolled-back transaction set this and
        # invalidate the cache when they end.
        self.keep_uncommitted = False
        self._lock = threading.Lock()
        self._local_generation = 0
        self._entries: dict[tuple[str, Any], tuple[float, tuple[int, int, str], Any]] = {}

    def generation(self) -> tuple[int, int, str]:
        """Changes seen by this process, by the shared cache, and by the machine's stamp file.

        Read with bare ``os`` calls: this runs on every token request, and ``Path.read_text``
        costs six times as much.
        """
        try:
            handle = os.open(_stamp_file(), os.O_RDONLY)
            try:
                stamp = os.read(handle, 64).decode()
            finally:
                os.close(handle)
        except OSError:
            stamp = ""
        return self._local_generation, int(shared_cache.get(GENERATION_KEY) or 0), stamp

    def get(self, kind: str, key: Any, generation: tuple[int, int, str]) -> Any:
        entry = self._entries.get((kind, key))
        if entry is None or entry[1] != generation:
            return None
        if time.monotonic() - entry[0] >= CACHE_SECONDS:
            return None
        return entry[2]

    def put(self, kind: str, key: Any, value: Any, generation: tuple[int, int, str]) -> None:
        """Keep ``value`` once what it was read from is committed, unless scope data changed since."""
        if self.keep_uncommitted:
            self._keep((kind, key), value, generation)
            return

        def store() -> None:
            # Hooks run inside an atomic block only when a test captures them: not committed.
            if not connection.in_atomic_block and self.generation() == generation:
                self._keep((kind, key), value, generation)

        transaction.on_commit(store)

    def _keep(self, key: tuple[str, Any], value: Any, generation: tuple[int, int, str]) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic(), generation, value)

    def forget_local(self) -> None:
        """Drop what this process keeps (no I/O): enough for reads inside the writing transaction."""
        with self._lock:
            self._local_generation += 1
            self._entries.clear()

    def invalidate(self) -> None:
        self.forget_local()
        try:
            if not shared_cache.add(GENERATION_KEY, 1, timeout=None):
                shared_cache.incr(GENERATION_KEY)
        except ValueError:
            shared_cache.set(GENERATION_KEY, 1, timeout=None)
        stamp = _stamp_file()
        fresh = stamp.with_name(f".{STAMP_NAME}.{uuid.uuid4().hex}")
        try:
            fresh.write_text(uuid.uuid4().hex)
            os.replace(fresh, stamp)
        except OSError:
            # Without a writable VAR_DIR other processes of this machine catch up within
            # CACHE_SECONDS (or at once through the shared cache).
            fresh.unlink(missing_ok=True)


def _stamp_file() -> Path:
    return Path(settings.VAR_DIR) / STAMP_NAME


scope_cache = ScopeCache()


def _invalidate_everywhere() -> None:
    scope_cache.invalidate()


def _scope_data_changed(sender: Any, **_kwargs: Any) -> None:
    """Forget at once in this process; tell the others once, when the transaction commits.

    Other processes cannot see the change before the commit, so one stamp per
    transaction suffices however many rows it saves (a unit import saves thousands).
    """
    if sender._meta.label_lower not in SCOPE_MODELS:
        return
    if not connection.in_atomic_block:
        scope_cache.invalidate()
        return
    scope_cache.forget_local()
    if not any(entry[1] is _invalidate_everywhere for entry in connection.run_on_commit):
        transaction.on_commit(_invalidate_everywhere)


post_save.connect(_scope_data_changed, dispatch_uid="safeward-scope-cache-save")
post_delete.connect(_scope_data_changed, dispatch_uid="safeward-scope-cache-delete")


def _cache(user: User | AnonymousUser) -> dict[str, list[str]]:
    cache: dict[str, list[str]] | None = getattr(user, "_safeward_scope_cache", None)
    if cache is None:
        cache = {}
        setattr(user, "_safeward_scope_cache", cache)  # noqa: B010  (not a model field)
    return cache


def clear_scope_cache(user: Viewer) -> None:
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


def scope_prefixes(user: Viewer, perm: str) -> list[str] | None:
    """Subtree path prefixes on which ``user`` holds ``perm``; ``None`` means everywhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return UNRESTRICTED
    cache = _cache(user)
    if perm not in cache:
        generation = scope_cache.generation()
        prefixes: list[str] | None = scope_cache.get("prefixes", (user.pk, perm), generation)
        if prefixes is None:
            prefixes = _compute_prefixes(user, perm)
            scope_cache.put("prefixes", (user.pk, perm), prefixes, generation)
        cache[perm] = prefixes
    return cache[perm]


def _compute_prefixes(user: User, perm: str) -> list[str]:
    paths: set[str] = set()
    for permissions, unit_paths in _assignment_scopes(user):
        if perm in permissions:
            paths.update(unit_paths)
    return minimal_prefixes(paths)


def _assignment_scopes(user: User) -> list[tuple[set[str], list[str]]]:
    """Each active assignment as (permissions, subtree paths incl. predecessors); cached per user."""
    cached: list[tuple[set[str], list[str]]] | None = getattr(
        user, "_safeward_assignment_scopes", None
    )
    if cached is not None:
        return cached
    # Named by label: core imports no app (accounts builds on core).
    role_assignment = cast("type[RoleAssignment]", apps.get_model("accounts", "RoleAssignment"))
    tree = unit_tree()
    today = timezone.localdate()
    assignments = (
        role_assignment.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("role", "unit")
    )
    scopes = [
        (set(a.role.permissions), [a.unit.path, *tree.predecessor_paths(a.unit)])
        for a in assignments
    ]
    setattr(user, "_safeward_assignment_scopes", scopes)  # noqa: B010  (not a model field)
    return scopes


def has_perm_anywhere(user: Viewer, perm: str) -> bool:
    prefixes = scope_prefixes(user, perm)
    return prefixes is UNRESTRICTED or bool(prefixes)


def has_perm_at(user: Viewer, perm: str, unit: Unit | None) -> bool:
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
