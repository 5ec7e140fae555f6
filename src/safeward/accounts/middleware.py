from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve
from rest_framework.views import APIView

OTP_SESSION_KEY = "safeward_otp_ok"
LAST_SEEN_KEY = "safeward_last_seen"

# The steps of signing in: the only views a half-signed-in user reaches as themself.
SIGN_IN_STEP_VIEWS = frozenset(
    {"accounts:login", "accounts:otp", "accounts:enrol", "accounts:logout"}
)

# Views anyone may use without signing in. A half-signed-in user reaches them as an
# anonymous visitor, so none of them can act with, or show, the staff account.
PUBLIC_VIEWS = frozenset(
    {
        "healthz",  # load balancer probe, no data
        "set_language",  # language switch on the sign-in pages
        "javascript-catalog",  # translated strings for the public pages' scripts
        "favicon",  # the site icon (a redirect to a static file)
        "web:landing",
        # The residents' portal: report, follow a report by its code, public figures.
        "reports:submit",
        "reports:attribute_fields",
        "reports:submitted",
        "reports:track",
        "reports:track_detail",
        "reports:track_reply",
        "reports:track_place",
        "reports:stats",
        "evidence:stats",
        "evidence:upload",  # a camera custodian's upload link carries its own secret
        "outreach:calendar",
        # Open311 GeoReport v2: anonymous by the standard, writes keyed by its own API key.
        "reports:open311_root",
        "reports:open311_discovery",
        "reports:open311_services",
        "reports:open311_service",
        "reports:open311_requests",
        "reports:open311_request",
        "reports:open311_token",
        "reports:open311_updates",
    }
)


def _resolved(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def _is_api_view(match: ResolverMatch) -> bool:
    """API views authenticate each request themselves (a token, or a session past both steps)."""
    view_class = getattr(match.func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def half_signed_in_access(request: HttpRequest) -> str:
    """How a session past the password but not the second step may use this URL.

    ``"self"`` for the sign-in steps, ``"anonymous"`` for public pages, the API (which then
    answers 401/403 unless a token is sent) and unknown URLs, ``"otp"`` for everything else.
    """
    match = _resolved(request)
    if match is None:
        return "anonymous"
    if match.view_name in SIGN_IN_STEP_VIEWS:
        return "self"
    if match.view_name in PUBLIC_VIEWS or _is_api_view(match):
        return "anonymous"
    return "otp"


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
            if not request.session.get(OTP_SESSION_KEY) and user.requires_2fa:
                access = half_signed_in_access(request)
                if access == "otp":
                    return redirect("accounts:otp")
                if access == "anonymous":
                    request.user = AnonymousUser()
        return self.get_response(request)
