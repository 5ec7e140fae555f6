"""Text messages through the configured gateway (SMS or Zalo).

A gateway is an HTTP(S) URL the message is POSTed to as JSON, or — for demonstrations
and machines without a provider — a ``file://`` outbox: one JSON line per message
appended to that file (as Django's file-based mail backend keeps e-mail), each with its
idempotency key so a message written twice can be told from two messages.
"""

from __future__ import annotations

import fcntl
import json
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

FILE_SCHEME = "file://"


def write_outbox(url: str, payload: dict[str, Any], key: str = "") -> None:
    """Append ``payload`` as one line to the ``file://`` outbox ``url`` (made if missing)."""
    path = Path(url.removeprefix(FILE_SCHEME))
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": timezone.now().isoformat(), "key": key, **payload}, ensure_ascii=False)
    with path.open("a", encoding="utf-8") as out:
        fcntl.flock(out, fcntl.LOCK_EX)  # several workers append to one file
        out.write(line + "\n")


def send_sms(phone: str, text: str) -> None:
    """Send ``{"to", "text"}`` to the configured SMS gateway; no gateway means no SMS."""
    url = settings.SAFEWARD_SMS_GATEWAY_URL
    if not url or not phone:
        return
    if url.startswith(FILE_SCHEME):
        write_outbox(url, {"to": phone, "text": text})
        return
    if not url.startswith(("http://", "https://")):
        raise ValueError("SAFEWARD_SMS_GATEWAY_URL must be an http(s) or file:// URL")
    body = json.dumps({"to": phone, "text": text}).encode()
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass
