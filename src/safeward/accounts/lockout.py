"""Sign-in throttling on django-axes: failures count per (username, address) and per address.

A username alone is never locked, so nobody can lock an officer out by typing their name
from elsewhere. A (username, address) pair is held back after ``AXES_FAILURE_LIMIT``
failures for a cool-off that doubles with every further failure (1, 2, 4 … minutes, up to
``SAFEWARD_LOCKOUT_MINUTES``); an address alone is held back after the higher
``SAFEWARD_LOCKOUT_ADDRESS_THRESHOLD`` failures across all usernames. Failed codes at the
second step count like failed passwords. Failure rows are kept for a day
(``SIGNIN_RECORD_DAYS``), so the cool-off keeps growing while an attack goes on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safeward.core.middleware import client_ip

SIGNIN_RECORD_DAYS = 1
ADDRESS_ONLY = "ip_address"


def client_address(request: HttpRequest) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: the same address the audit log records."""
    return client_ip(request)


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the name typed at the password step, or the half-signed-in
    user at the code step; case-folded as sign-in itself ignores case."""
    username = (credentials or {}).get("username")
    if username is None and request.method == "POST":
        username = request.POST.get("username")
    user = getattr(request, "user", None)
    if username is None and user is not None and user.is_authenticated:
        username = user.get_username()
    return str(username).strip().lower()[:150] if username is not None else None


def _attempts(request: HttpRequest, username: str | None) -> list[tuple[Any, Any]]:
    """(lockout parameter, its failure rows) for this request, without the cool-off filter."""
    parameters = get_lockout_parameters(request, None)
    filters = get_client_parameters(
        username or "", client_address(request), "", request, None
    )  # user agents are not a lockout parameter here
    return [
        (param, AccessAttempt.objects.filter(**kwargs))
        for param, kwargs in zip(parameters, filters, strict=True)
    ]


def _failures(rows: Any) -> int:
    return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)


def _ceiling(param: Any) -> int:
    if param == ADDRESS_ONLY:
        return int(settings.SAFEWARD_LOCKOUT_ADDRESS_THRESHOLD)
    return int(settings.AXES_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None) -> dt.timedelta:
    """``AXES_COOLOFF_TIME``: one minute at the limit, doubled for each failure past it, capped."""
    cap = dt.timedelta(minutes=settings.SAFEWARD_LOCKOUT_MINUTES)
    if request is None:
        return cap
    steps = 0
    for param, rows in _attempts(request, client_username(request, None)):
        steps = max(steps, _failures(rows) - _ceiling(param))
    return min(dt.timedelta(minutes=2 ** min(steps, 20)), cap)


class SafeWardAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with its own ceiling for the address alone, and a day's memory."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """Failures of the (username, address) pair; the limit itself once the address alone
        has passed its higher ceiling."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        counted = zip(parameters, self.get_user_attempts(request, credentials), strict=True)
        worst = 0
        for param, rows in counted:
            failures = _failures(rows)
            if param == ADDRESS_ONLY:
                worst = max(worst, limit if failures >= _ceiling(param) else 0)
            else:
                worst = max(worst, failures)
        return worst

    def clean_expired_user_attempts(
        self, request: Any = None, credentials: dict[str, Any] | None = None
    ) -> int:
        """Forget failures a day old, not after one cool-off, so repeated failures keep counting."""
        cutoff = timezone.now() - dt.timedelta(days=SIGNIN_RECORD_DAYS)
        count, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
        return int(count)


def locked_seconds(request: HttpRequest, username: str) -> int:
    """Seconds until ``username`` may try again from this address (0 when allowed)."""
    credentials = {"username": username}
    if not AxesProxyHandler.is_locked(request, credentials):
        return 0
    wait = cool_off(request)
    latest = None
    for param, rows in _attempts(request, client_username(request, credentials)):
        if _failures(rows) >= _ceiling(param):
            last = rows.aggregate(last=Max("attempt_time"))["last"]
            latest = last if latest is None or (last and last > latest) else latest
    if latest is None:
        return int(wait.total_seconds())
    return max(1, int((latest + wait - timezone.now()).total_seconds()))


def code_failed(request: HttpRequest, username: str) -> None:
    """Count a wrong code at the second step as a failed sign-in (axes hears the signal)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def signin_completed(request: HttpRequest, username: str) -> None:
    """Both steps passed: forget this pair's failures (never the address's, nor other pairs')."""
    AxesProxyHandler.reset_attempts(
        ip_address=client_address(request),
        username=client_username(request, {"username": username}),
    )


def keep_page(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in views render the lock-out themselves."""
    return response if response is not None else HttpResponse(status=429)


def failures_of(username: str, address: str) -> int:
    """Failures recorded for this pair, for the message to the account holder."""
    return _failures(AccessAttempt.objects.filter(username=username, ip_address=address))
