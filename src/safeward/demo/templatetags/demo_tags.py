"""The demo accounts box of the sign-in page, filled only in demo mode."""

from __future__ import annotations

from typing import Any

import pyotp
from django import template
from django.conf import settings

from safeward.accounts.models import User
from safeward.demo.foundation import DEMO_PASSWORD, PERSONAS

register = template.Library()


@register.simple_tag
def demo_accounts() -> dict[str, Any] | None:
    """Demo mode only: the demo logins, their shared password and each staff account's code now."""
    if not settings.SAFEWARD_DEMO_MODE:
        return None
    users = {u.username: u for u in User.objects.filter(username__in=list(PERSONAS))}
    rows = []
    for username in PERSONAS:
        user = users.get(username)
        if user is None or not user.is_active:
            continue
        roles = list(dict.fromkeys(str(a.role) for a in user.active_assignments()))
        code = pyotp.TOTP(user.totp_secret).now() if user.totp_secret and user.requires_2fa else ""
        rows.append(
            {
                "username": username,
                "name": user.get_full_name(),
                "roles": ", ".join(roles),
                "code": code,
            }
        )
    return {"password": DEMO_PASSWORD, "accounts": rows}
