"""Reads that may go to a PostgreSQL streaming replica, and the rules that keep them correct.

With ``SAFEWARD_REPLICA_URL`` set, the ``replica`` database is a hot standby of ``default``.
Only views marked with :func:`replica_reads` (dashboards, exports, public statistics,
analytics reads) read from it, and only when all of these hold:

- the request is a GET or HEAD, and no transaction on the primary is open;
- the client has not written in the last ``SAFEWARD_REPLICA_PIN_SECONDS`` (a signed
  cookie set after every write request, so any web instance honours it): a resident or an
  officer always reads their own writes;
- the replica answered its last health check (made at most every
  ``SAFEWARD_REPLICA_CHECK_SECONDS``): it is in recovery, reachable, and either replayed
  everything the primary wrote or is behind by at most ``SAFEWARD_REPLICA_MAX_LAG_SECONDS``.

A replica that fails in the middle of a request is marked down and the view runs once more
on the primary, so a stopped replica costs a slower answer, never an error. Writes, and
every read outside marked views, always go to ``default``.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "sw_primary"
PIN_SALT = "safeward.replica.pin"
SAFE_METHODS = frozenset({"GET", "HEAD"})

_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("safeward_replica", default=False)
_used: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "safeward_replica_used", default=None
)

V = TypeVar("V", bound=Callable[..., Any])


def replica_reads(view: V) -> V:
    """Mark a view whose reads may come from the replica (see the module's rules)."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class Health:
    checked_at: float = -1e9
    usable: bool = False
    lag_bytes: int = 0
    lag_seconds: float = 0.0
    reason: str = "not checked"


_health = Health()


def health(*, fresh: bool = False) -> Health:
    """The replica's last health check, made again when older than the check interval."""
    interval = float(getattr(settings, "SAFEWARD_REPLICA_CHECK_SECONDS", 2.0))
    if fresh or time.monotonic() - _health.checked_at >= interval:
        _check()
    return _health


def mark_down(reason: str) -> None:
    _health.checked_at = time.monotonic()
    _health.usable = False
    _health.reason = reason
    connections[REPLICA].close()


def _check() -> None:
    max_lag = float(getattr(settings, "SAFEWARD_REPLICA_MAX_LAG_SECONDS", 5.0))
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                " COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            )
            in_recovery, replayed, seconds = cursor.fetchone()
        behind = 0
        if replayed is not None:
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [replayed]
                )
                behind = int(cursor.fetchone()[0])
    except (OperationalError, InterfaceError, DatabaseError) as exc:
        mark_down(f"unreachable: {exc.__class__.__name__}")
        log.warning("replica unreachable, reading from the primary: %s", exc)
        return
    _health.checked_at = time.monotonic()
    _health.lag_bytes = max(behind, 0)
    _health.lag_seconds = float(seconds) if behind > 0 else 0.0
    if not in_recovery:
        _health.usable, _health.reason = False, "not a standby"
    elif replayed is None:
        _health.usable, _health.reason = False, "replays nothing"
    elif _health.lag_seconds > max_lag:
        _health.usable, _health.reason = False, f"lagging {_health.lag_seconds:.1f} s"
    else:
        _health.usable, _health.reason = True, "ok"


def read_alias() -> str:
    """Where a read made now should go."""
    if not _allowed.get() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if not health().usable:
        return PRIMARY
    used = _used.get()
    if used is not None:
        used.append(True)
    return REPLICA


class ReplicaRouter:
    """Django's database router: marked reads may go to the replica, everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: an object read there relates to one written here.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def _marked(request: HttpRequest, view: Any) -> bool:
    """A view marked with :func:`replica_reads`, or a list view's CSV export."""
    classes = [view, getattr(view, "view_class", None), getattr(view, "cls", None)]
    if any(getattr(c, "replica_reads", False) for c in classes):
        return True
    exporting = request.GET.get("export") == "csv"
    return exporting and any(getattr(c, "replica_exports", False) for c in classes)


def _pinned(request: HttpRequest) -> bool:
    seconds = int(getattr(settings, "SAFEWARD_REPLICA_PIN_SECONDS", 10))
    try:
        request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=seconds)
    except (KeyError, signing.BadSignature):
        return False
    return True


class ReplicaMiddleware:
    """Lets a marked view read from the replica; pins a client who wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        token_used, token_allowed = _used.set([]), _allowed.set(False)
        try:
            response = self.get_response(request)
        finally:
            _used.reset(token_used)
            _allowed.reset(token_allowed)
        if request.method not in SAFE_METHODS:
            seconds = int(getattr(settings, "SAFEWARD_REPLICA_PIN_SECONDS", 10))
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if not configured():
            return
        allowed = request.method in SAFE_METHODS and _marked(request, view) and not _pinned(request)
        request._replica_view = (view, args, kwargs)  # type: ignore[attr-defined]
        _allowed.set(allowed)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        used = _used.get()
        if not configured() or not used or not isinstance(exc, OperationalError | InterfaceError):
            return None
        view, args, kwargs = request._replica_view  # type: ignore[attr-defined]
        mark_down(f"failed during a request: {exc.__class__.__name__}")
        log.warning("replica failed during %s, answering from the primary: %s", request.path, exc)
        used.clear()
        token = _allowed.set(False)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        finally:
            _allowed.reset(token)
        return response  # type: ignore[no-any-return]
