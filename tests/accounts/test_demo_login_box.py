"""The sign-in page lists the demo accounts only when demo mode is on."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from safeward.demo.foundation import DEMO_PASSWORD, PERSONAS

pytestmark = pytest.mark.django_db


def _login_page(lang: str = "en") -> str:
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_box_is_absent_when_demo_mode_is_off(settings: Any, personas: Any) -> None:
    settings.SAFEWARD_DEMO_MODE = False
    html = _login_page()
    assert 'id="demo-accounts"' not in html
    assert "Demo accounts" not in html
    assert DEMO_PASSWORD not in html
    assert "ward_officer" not in html


def test_the_demo_box_lists_logins_password_and_codes_in_demo_mode(
    settings: Any, personas: Any
) -> None:
    settings.SAFEWARD_DEMO_MODE = True
    html = _login_page()
    assert 'id="demo-accounts"' in html
    assert "Demo accounts" in html
    assert DEMO_PASSWORD in html
    for username in PERSONAS:
        assert f"<code>{username}</code>" in html
    for name in ("ward_officer", "front_member", "province_admin"):
        totp = pyotp.TOTP(personas[name].totp_secret)
        # The code shown may belong to the step that has just ended.
        assert any(f'class="totp">{c}<' in html for c in (totp.now(), totp.at(time.time() - 30)))
    # A resident needs no second step, so no code is shown for them.
    resident_row = html.split("<code>resident</code>", 1)[1].split("</tr>", 1)[0]
    assert 'class="totp"' not in resident_row


def test_the_demo_box_is_translated(settings: Any, personas: Any) -> None:
    settings.SAFEWARD_DEMO_MODE = True
    assert "Tài khoản demo" in _login_page("vi")
    assert "حسابات تجريبية" in _login_page("ar")
