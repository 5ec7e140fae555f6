"""How a delivery leaves: the inbox, email, SMS and Zalo gateways, signed webhooks.

Each sender gets the delivery's key and passes it on as the message's idempotency key
(``Idempotency-Key`` to gateways and webhooks, the ``Message-ID`` of an email), so a
message whose sending was not recorded (the worker died between the two) and is sent
again is recognised by its receiver as the same message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from safeward.bulletins.choices import Channel
from safeward.core.sms import FILE_SCHEME, write_outbox


class GatewayError(Exception):
    """The receiver did not take the message now; it is tried again later."""


class Undeliverable(Exception):
    """The message can never be delivered there (no address, refused for good)."""


@dataclass(frozen=True)
class Message:
    key: str
    channel: str
    address: str  # phone, email, Zalo phone, webhook URL; empty for the inbox
    language: str
    subject: str
    text: str  # the plain text a person reads (headline, text, instructions, reason)
    unsubscribe_url: str = ""
    cap_xml: bytes = b""  # for webhooks
    secret: str = ""  # for webhooks


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(url: str, body: bytes, headers: dict[str, str]) -> None:
    if not url.startswith(("http://", "https://")):
        raise Undeliverable("not an http(s) URL")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (408, 409, 425, 429) or exc.code >= 500:
            raise GatewayError(f"HTTP {exc.code}") from exc
        raise Undeliverable(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise GatewayError(str(exc)[:200]) from exc


class Senders:
    """One per worker round: keeps the mail connection open across messages."""

    def __init__(self) -> None:
        self._mail: Any = None

    def close(self) -> None:
        if self._mail is not None:
            self._mail.close()
            self._mail = None

    def send(self, message: Message) -> bool:
        """Send ``message``; True when the channel confirms delivery, not only sending."""
        if message.channel == Channel.APP:
            return True  # the delivery row is the inbox message
        if message.channel == Channel.EMAIL:
            self._email(message)
            return False
        if message.channel == Channel.SMS:
            self._gateway(
                settings.SAFEWARD_SMS_GATEWAY_URL,
                {"to": message.address, "text": message.text, "id": message.key},
                message.key,
                {},
            )
            return False
        if message.channel == Channel.ZALO:
            # Shaped like Zalo's template-message API: phone in 84… form, a template and
            # its data, and a tracking id that is our idempotency key.
            phone = (
                "84" + message.address[1:] if message.address.startswith("0") else message.address
            )
            self._gateway(
                settings.SAFEWARD_ZALO_GATEWAY_URL,
                {
                    "phone": phone,
                    "template_id": settings.SAFEWARD_ZALO_TEMPLATE_ID,
                    "template_data": {"title": message.subject, "content": message.text},
                    "tracking_id": message.key,
                },
                message.key,
                {"access_token": settings.SAFEWARD_ZALO_ACCESS_TOKEN},
            )
            return False
        if message.channel == Channel.WEBHOOK:
            body = message.cap_xml
            _post(
                message.address,
                body,
                {
                    "Content-Type": "application/cap+xml",
                    "Idempotency-Key": message.key,
                    "X-SafeWard-Signature": signature(message.secret, body),
                },
            )
            return True
        raise Undeliverable(f"unknown channel {message.channel}")

    def _gateway(
        self, url: str, payload: dict[str, object], key: str, extra: dict[str, str]
    ) -> None:
        if not url:
            raise Undeliverable("no gateway configured")
        if url.startswith(FILE_SCHEME):
            try:
                write_outbox(url, payload, key)
            except OSError as exc:
                raise GatewayError(str(exc)[:200]) from exc
            return
        body = json.dumps(payload, ensure_ascii=False).encode()
        _post(url, body, {"Content-Type": "application/json", "Idempotency-Key": key, **extra})

    def _email(self, message: Message) -> None:
        if not message.address:
            raise Undeliverable("no address")
        if self._mail is None:
            self._mail = get_connection()
            self._mail.open()
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        headers = {"Message-ID": f"<{message.key}@{domain}>"}
        if message.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMessage(
            message.subject,
            message.text,
            to=[message.address],
            headers=headers,
            connection=self._mail,
        )
        try:
            email.send()
        except (OSError, TimeoutError) as exc:
            self.close()
            raise GatewayError(str(exc)[:200]) from exc
