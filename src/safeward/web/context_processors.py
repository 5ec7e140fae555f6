from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from safeward.accounts.middleware import OTP_SESSION_KEY
from safeward.web.navigation import items_for
from safeward.web.workqueue import waiting_counts


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Between the password and the code (the flag is False) a staff user gets no menu yet.
    fully_signed_in = signed_in and request.session.get(OTP_SESSION_KEY) is not False
    nav = items_for(user, request.path, waiting_counts(user)) if fully_signed_in else []
    return {
        "nav_items": nav,
        "nav_waiting": sum(entry["count"] for entry in nav),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "demo_mode": settings.SAFEWARD_DEMO_MODE,
        "map_tile_url": settings.SAFEWARD_MAP_TILE_URL,
    }
