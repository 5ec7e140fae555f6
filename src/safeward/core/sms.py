"""Text messages through the configured HTTP gateway (SMS or Zalo)."""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings


def send_sms(phone: str, text: str) -> None:
    """POST ``{"to", "text"}`` to the configured SMS gateway; no gateway means no SMS."""
    url = settings.SAFEWARD_SMS_GATEWAY_URL
    if not url or not phone:
        return
    if not url.startswith(("http://", "https://")):
        raise ValueError("SAFEWARD_SMS_GATEWAY_URL must be an http(s) URL")
    body = json.dumps({"to": phone, "text": text}).encode()
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass
