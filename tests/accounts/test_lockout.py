"""Sign-in throttling: per (username, address) with a growing cool-off, per address capped,
never per username alone; the account holder is told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from safeward.accounts.middleware import OTP_SESSION_KEY
from safeward.core.models import AuditEvent
from safeward.demo.foundation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def _login(address: str, username: str, password: str = DEMO_PASSWORD, lang: str = "en") -> Any:
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    response.client = client
    return response


def _time_passes(minutes: float) -> None:
    """Move every recorded failure back in time, as if ``minutes`` had gone by."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=minutes)
        )


def _fail(address: str, username: str, times: int) -> list[Any]:
    return [_login(address, username, "wrong-password") for _ in range(times)]


def test_an_attacker_failing_from_one_address_does_not_block_the_owner_elsewhere() -> None:
    _fail(ATTACKER, "analyst", 10)
    response = _login(OWNER, "analyst")
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")


def test_the_limit_locks_the_pair_and_says_how_long_to_wait() -> None:
    answers = _fail(ATTACKER, "analyst", 5)
    assert [r.status_code for r in answers] == [400, 400, 400, 400, 429]
    assert "Wrong username or password." in answers[0].content.decode()
    refused = _login(ATTACKER, "analyst")
    assert refused.status_code == 429
    assert "Too many failed attempts. Try again in 1 minute." in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session


def test_the_lock_message_is_in_the_users_language() -> None:
    _fail(ATTACKER, "analyst", 5)
    refused = _login(ATTACKER, "analyst", lang="vi")
    assert refused.status_code == 429 and "Thử lại sau 1 phút" in refused.content.decode()


def test_the_cool_off_grows_with_each_failure_past_the_limit() -> None:
    _fail(ATTACKER, "analyst", 5)
    waits = []
    for _ in range(3):
        _time_passes(minutes=20)
        waits.append(_fail(ATTACKER, "analyst", 1)[0].content.decode())
    assert "Try again in 2 minutes." in waits[0]
    assert "Try again in 4 minutes." in waits[1]
    assert "Try again in 8 minutes." in waits[2]


def test_the_cool_off_is_capped(settings: Any) -> None:
    settings.SAFEWARD_LOCKOUT_MINUTES = 3
    _fail(ATTACKER, "analyst", 5)
    _time_passes(minutes=5)
    answer = _fail(ATTACKER, "analyst", 1)[0]
    assert answer.status_code == 429 and "Try again in 2 minutes." in answer.content.decode()
    _time_passes(minutes=5)
    answer = _fail(ATTACKER, "analyst", 1)[0]
    assert "Try again in 3 minutes." in answer.content.decode()


def test_after_the_cool_off_the_owner_signs_in_from_the_same_address() -> None:
    _fail(ATTACKER, "analyst", 5)
    _time_passes(minutes=2)
    assert _login(ATTACKER, "analyst").status_code == 302


def test_an_address_alone_is_capped_across_many_usernames(settings: Any) -> None:
    settings.SAFEWARD_LOCKOUT_ADDRESS_THRESHOLD = 12
    for n in range(12):
        _fail(ATTACKER, f"guess{n}", 1)
    assert _login(ATTACKER, "analyst").status_code == 429
    assert _login(OWNER, "analyst").status_code == 302


def test_fewer_failures_than_the_address_ceiling_lock_no_other_account() -> None:
    for n in range(8):
        _fail(ATTACKER, f"guess{n}", 1)
    assert _login(ATTACKER, "analyst").status_code == 302


def test_wrong_codes_at_the_second_step_count_towards_the_lock(personas: dict[str, Any]) -> None:
    client = _login(ATTACKER, "ward_officer").client
    answers = [client.post("/accounts/otp/", {"code": "000000"}) for _ in range(5)]
    assert [r.status_code for r in answers] == [400, 400, 400, 400, 429]
    code = pyotp.TOTP(personas["ward_officer"].totp_secret).now()
    refused = client.post("/accounts/otp/", {"code": code})
    assert refused.status_code == 429 and "Try again in" in refused.content.decode()
    assert not client.session.get(OTP_SESSION_KEY)


def test_the_account_holder_is_emailed_in_their_language(personas: dict[str, Any]) -> None:
    owner = personas["analyst"]
    owner.email, owner.language = "analyst@example.vn", "en"
    owner.save(update_fields=["email", "language"])
    _fail(ATTACKER, "analyst", 5)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["analyst@example.vn"]
    assert (
        f"Someone tried to sign in to your account from {ATTACKER} and failed 5 times."
        in message.body
    )


def test_the_email_follows_the_holders_language(personas: dict[str, Any]) -> None:
    owner = personas["analyst"]
    owner.email, owner.language = "analyst@example.vn", "vi"
    owner.save(update_fields=["email", "language"])
    _fail(ATTACKER, "analyst", 5)
    assert f"từ địa chỉ {ATTACKER}" in mail.outbox[0].body


def test_the_holder_sees_a_note_at_the_next_sign_in(personas: dict[str, Any]) -> None:
    _fail(ATTACKER, "resident", 5)
    assert AuditEvent.objects.filter(
        action="signin.locked", object_id=str(personas["resident"].pk)
    ).exists()
    client = _login(OWNER, "resident").client
    page = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"from {ATTACKER} and failed 5 times" in page


def test_a_sign_in_clears_only_its_own_pair() -> None:
    _fail(ATTACKER, "analyst", 3)
    _fail(OWNER, "analyst", 3)
    _login(OWNER, "resident", "wrong-password")
    assert _login(OWNER, "resident").status_code == 302
    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {
        ("analyst", ATTACKER),
        ("analyst", OWNER),
    }
