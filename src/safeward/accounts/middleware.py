from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

OTP_SESSION_KEY = "safeward_otp_ok"
LAST_SEEN_KEY = "safeward_last_seen"
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/open311/", "/api/", "/healthz")


class SessionSecurityMiddleware:
    """Idle sessions expire; a staff user who has not passed two-factor sign-in gets nowhere else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY, now)
            if now - last > settings.SAFEWARD_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                return redirect("/accounts/login/?expired=1")
            if now - last >= 60 or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
            if (
                not request.path.startswith(OPEN_PREFIXES)
                and not request.session.get(OTP_SESSION_KEY)
                and user.requires_2fa  # type: ignore[union-attr]
            ):
                return redirect("accounts:otp")
        return self.get_response(request)
