"""Bulletins written and sent through the services, and a real HTTP sink on 127.0.0.1 for
gateways and webhooks."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone

from safeward.bulletins import services
from safeward.bulletins.choices import BulletinStatus
from safeward.bulletins.models import Bulletin
from safeward.bulletins.services import Audience, Text


class Sink:
    """A real HTTP server on 127.0.0.1 that records what gateways and webhooks receive."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.requests.append((self.path, dict(self.headers), body))
                self.send_response(sink.status)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self, prefix: str) -> list[tuple[str, dict[str, str], bytes]]:
        return [r for r in self.requests if r[0].startswith(prefix)]


def draft(actor: Any, unit: Any, audiences: list[Audience], **kwargs: Any) -> Bulletin:
    fields: dict[str, Any] = {
        "category": "Security",
        "event": "Tình hình ma túy",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "expires_at": timezone.now() + dt.timedelta(days=7),
        "texts": [
            Text(
                "vi",
                "Tình hình ma túy tháng 12",
                "Công an phường thông báo tình hình.",
                "Báo tin cho công an phường.",
            ),
            Text("en", "Drug situation in December", "The ward police share the situation."),
        ],
    }
    fields.update(kwargs)
    return services.bulletin_draft(actor, unit, audiences=audiences, **fields)


def sent(personas: dict[str, Any], bulletin: Bulletin) -> Bulletin:
    bulletin = services.bulletin_submit(personas["ward_officer"], bulletin)
    if bulletin.status == BulletinStatus.AWAITING:
        bulletin = services.bulletin_approve(personas["city_officer"], bulletin)
    return services.bulletin_send(personas["ward_officer"], bulletin)


def html(response: Any, status: int = 200) -> str:
    """The page's text, once its status is the one expected."""
    text = response.content.decode()
    assert response.status_code == status, (response.status_code, text[:500])
    return str(text)


def data(response: Any, status: int = 200) -> Any:
    """The API's answer, once its status is the one expected."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()
