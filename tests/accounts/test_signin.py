from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.test import Client

from safeward.accounts.middleware import LAST_SEEN_KEY, OTP_SESSION_KEY
from safeward.accounts.models import User
from safeward.demo.foundation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = DEMO_PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(personas: dict[str, Any]) -> None:
    assert personas["ward_officer"].password.startswith("argon2")


def test_staff_must_pass_the_totp_step_before_any_page(personas: dict[str, Any]) -> None:
    client = Client()
    response = _login(client, "ward_officer")
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")
    assert client.get("/home/").url == "/accounts/otp/"
    code = pyotp.TOTP(personas["ward_officer"].totp_secret).now()
    response = client.post("/accounts/otp/", {"code": code})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200


def test_a_totp_code_is_accepted_only_once(personas: dict[str, Any]) -> None:
    code = pyotp.TOTP(personas["front_member"].totp_secret).now()
    first, second = Client(), Client()
    _login(first, "front_member")
    assert first.post("/accounts/otp/", {"code": code}).status_code == 302
    _login(second, "front_member")
    assert second.post("/accounts/otp/", {"code": code}).status_code == 400


def test_a_wrong_code_is_refused_with_a_message(personas: dict[str, Any]) -> None:
    client = Client()
    _login(client, "mentor")
    response = client.post("/accounts/otp/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not client.session.get(OTP_SESSION_KEY)


def test_a_resident_needs_no_second_step(personas: dict[str, Any]) -> None:
    client = Client()
    response = _login(client, "resident")
    assert response.status_code == 302 and response.url == "/home/"
    assert client.get("/home/").status_code == 200


def test_idle_sessions_expire(personas: dict[str, Any], settings: Any) -> None:
    from tests.conftest import signed_in_client

    client = signed_in_client(personas["ward_officer"])
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SAFEWARD_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302 and "expired=1" in response.url


def test_enrolment_shows_a_local_qr_code_and_turns_2fa_on(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.accounts.models import Role
    from safeward.accounts.services import role_assign, user_create

    user = user_create(None, username="new_officer", password="Một-mật-khẩu-dài-2025")
    role_assign(
        None,
        user=user,
        role=Role.objects.get(code="ward_police"),
        unit=demo_units["cua_ong"],
        check_actor=False,
    )
    client = Client()
    assert _login(client, "new_officer", "Một-mật-khẩu-dài-2025").url.startswith("/accounts/otp/")
    page = client.get("/accounts/enrol/")
    assert (
        page.status_code == 200
        and b"<svg" in page.content
        and b"http" not in page.content.split(b"<svg")[1][:200]
    )
    user.refresh_from_db()
    response = client.post("/accounts/enrol/", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.has_totp and client.get("/home/").status_code == 200


def test_api_session_auth_needs_the_second_step(personas: dict[str, Any]) -> None:
    client = Client()
    _login(client, "ward_officer")
    assert client.get("/api/v1/units/").status_code in (401, 403)


def test_assigning_a_role_over_a_dissolved_unit_names_its_successors(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from safeward.accounts.models import Role
    from safeward.accounts.services import role_assign
    from safeward.core.errors import DomainError

    with pytest.raises(DomainError, match="Cửa Ông"):
        role_assign(
            personas["province_admin"],
            user=personas["outsider"],
            role=Role.objects.get(code="ward_police"),
            unit=demo_units["cam_thinh"],
        )
    assert not User.objects.get(username="outsider").assignments.exists()
