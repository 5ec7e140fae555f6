from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from safeward.evidence import services
from safeward.evidence.models import FootageRequest

pytestmark = pytest.mark.django_db
IMMEDIATE = {"TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}}


def _approve(personas: dict[str, Any], request: FootageRequest, capture: Any) -> dict[int, str]:
    with override_settings(**IMMEDIATE), capture(execute=True):
        return services.footage_request_approve(personas["front_member"], request)


def test_an_email_custodian_receives_the_one_time_link(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    camera = footage_request.targets.get().camera
    camera.contact, camera.preferred_channel = "chu.camera@example.vn", "email"
    camera.save(update_fields=["contact", "preferred_channel"])
    tokens = _approve(personas, footage_request, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chu.camera@example.vn"]
    assert f"/evidence/upload/{next(iter(tokens.values()))}/" in mail.outbox[0].body


@pytest.fixture
def sms_gateway(settings: Any) -> Any:
    """A real HTTP gateway on 127.0.0.1 that records what it is sent."""
    received: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SAFEWARD_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    yield received
    server.shutdown()


def test_an_sms_custodian_gets_the_link_through_the_gateway(
    personas: dict[str, Any],
    footage_request: FootageRequest,
    django_capture_on_commit_callbacks: Any,
    sms_gateway: list[dict[str, str]],
) -> None:
    camera = footage_request.targets.get().camera
    camera.contact, camera.preferred_channel = "0912345678", "sms"
    camera.save(update_fields=["contact", "preferred_channel"])
    tokens = _approve(personas, footage_request, django_capture_on_commit_callbacks)
    assert [m["to"] for m in sms_gateway] == ["0912345678"]
    assert next(iter(tokens.values())) in sms_gateway[0]["text"]
