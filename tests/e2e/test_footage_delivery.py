"""A footage request's messages, as the requesting officer follows them: the ward officer
asks cameras about a demo report, the front member approves, the server's task worker sends, the
officer sees the message sent and copies the custodian's one-time link; the custodian
opening it shows as opened. Screenshots on a desk and a phone in vi, en and ar."""

from __future__ import annotations

import ast
import time
from typing import Any

import pytest

from safeward.evidence.demo import AWAITING
from tests.e2e.conftest import manage, set_language, shot

pytestmark = pytest.mark.e2e

BY_EMAIL = """
from safeward.cameras.models import Camera
from safeward.evidence.models import RequestTarget
cameras = RequestTarget.objects.filter(request_id={pk}).values("camera")
Camera.objects.filter(pk__in=cameras).update(preferred_channel="email", contact="chu.camera@example.vn")
"""
BACKDATE = """
import datetime as dt
from django.utils import timezone
from safeward.evidence.models import Delivery
Delivery.objects.filter(target__request_id={pk}).update(queued_at=timezone.now() - dt.timedelta(hours=1))
"""
STATES = """
from safeward.evidence.models import Delivery
print(sorted(Delivery.objects.filter(target__request_id={pk}).values_list("state", flat=True)))
"""


def _states(pk: str) -> list[str]:
    return ast.literal_eval(manage("shell", "-c", STATES.format(pk=pk)).strip().splitlines()[-1])


def _ask_cameras(officer: Any, server: str) -> str:
    officer.goto(server + "/evidence/requests/")
    officer.locator("#recent-reports tr", has_text=AWAITING).first.locator("a").click()
    officer.wait_for_url("**/evidence/requests/new/*/")
    start = officer.locator("input[name=window_start]")
    assert start.get_attribute("type") == "datetime-local"
    assert start.get_attribute("min") and start.get_attribute("max")
    assert len(start.input_value()) == len("2026-01-01T00:00")
    officer.locator("#request-form").scroll_into_view_if_needed()
    shot(officer, "footage-request-window-desk", full_page=False)
    officer.fill("textarea[name=purpose]", "Xác minh tin báo mất trộm xe máy")
    officer.locator("input[name=cameras]").first.check()
    officer.click("#request-form button.primary")
    officer.wait_for_url("**/evidence/requests/*/")
    return str(officer.url)


def test_officer_follows_the_custodians_message_and_copies_the_link(
    server: str, signed_in: Any, browser: Any
) -> None:
    officer = signed_in("ward_officer")
    set_language(officer, server, "en")
    request_url = _ask_cameras(officer, server)
    pk = request_url.rstrip("/").rsplit("/", 1)[1]
    manage("shell", "-c", BY_EMAIL.format(pk=pk))

    front = signed_in("front_member")
    front.goto(request_url)
    front.click("#approve")
    front.wait_for_load_state()
    assert front.locator("a[href$='/link/']").count() == 0  # the approver does not get the link
    # The server's own task worker sends the message; the page says so once it has.
    for _attempt in range(60):
        if _states(pk) != ["queued"]:
            break
        time.sleep(0.5)
    assert _states(pk) == ["sent"]
    officer.goto(request_url)
    badge = officer.locator("#deliveries [data-state=sent]")
    assert badge.inner_text() == "Sent"
    shot(officer, "footage-delivery-sent-en-desk")

    officer.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    officer.locator("a[href$='/link/']").first.click()
    link_box = officer.locator("input.upload-link").first
    link = link_box.input_value()
    assert "/evidence/upload/" in link
    officer.locator("button[data-copy]").first.click()
    assert officer.evaluate("navigator.clipboard.readText()") == link
    assert officer.locator("button[data-copy]").first.inner_text() == "Copied"

    custodian = browser.new_context(locale="vi-VN").new_page()
    custodian.goto(server + link[link.index("/evidence/upload/") :])  # as sent, on this server
    assert custodian.locator("#send-clip").count() == 1
    custodian.context.close()
    officer.goto(request_url)
    assert officer.locator("#deliveries [data-state=opened]").count() == 1

    for lang in ("vi", "en", "ar"):
        for on_phone in (False, True):
            page = signed_in("ward_officer", phone=on_phone)
            set_language(page, server, lang)
            page.goto(request_url)
            page.locator("a[href$='/link/']").first.click()
            page.locator("input.upload-link").first.wait_for()
            shot(page, f"footage-delivery-{lang}-{'phone' if on_phone else 'desk'}")

    # A new link, confirmed first; right after the last one it is refused with the time.
    officer = signed_in("ward_officer")
    set_language(officer, server, "en")
    officer.goto(request_url)
    officer.click("#deliveries form.resend button")
    officer.wait_for_selector("#confirm-action")
    shot(officer, "footage-delivery-resend-confirm-en-desk")
    officer.click("#confirm-action button[type=submit]")
    officer.wait_for_selector("#action-error")
    assert "a new one may be sent from" in officer.inner_text("#action-error")
    manage("shell", "-c", BACKDATE.format(pk=pk))
    officer.click("#deliveries form.resend button")
    officer.wait_for_selector("#confirm-action")
    officer.click("#confirm-action button[type=submit]")
    officer.wait_for_selector("#deliveries details.attempts")
    for _attempt in range(60):
        if _states(pk) == ["opened", "sent"]:
            break
        time.sleep(0.5)
    assert _states(pk) == ["opened", "sent"]
    officer.goto(request_url)
    officer.click("#deliveries details.attempts summary")
    shot(officer, "footage-delivery-resent-en-desk")
    set_language(officer, server, "vi")
