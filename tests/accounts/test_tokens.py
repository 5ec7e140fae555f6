from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from safeward.accounts.services import token_create, token_revoke
from safeward.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_token_acts_with_exactly_the_users_scope(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    _token, raw = token_create(personas["ward_officer"], name="ci")
    client = _client(raw)
    assert client.get(f"/api/v1/units/{demo_units['cua_ong'].pk}/").status_code == 200
    assert client.get(f"/api/v1/units/{demo_units['bai_chay'].pk}/").status_code == 404


def test_only_the_hash_of_a_token_is_stored(personas: dict[str, Any]) -> None:
    token, raw = token_create(personas["ward_officer"], name="ci")
    assert raw not in (token.key_hash, token.prefix) and len(token.key_hash) == 64


def test_a_revoked_token_is_refused(personas: dict[str, Any]) -> None:
    token, raw = token_create(personas["ward_officer"], name="ci")
    token_revoke(personas["ward_officer"], token)
    response = _client(raw).get("/api/v1/units/")
    assert response.status_code == 401


def test_an_unknown_token_is_refused() -> None:
    assert _client("sw_nope").get("/api/v1/units/").status_code == 401


def test_token_lifetime_is_bounded(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError):
        token_create(personas["ward_officer"], name="x", days=1000)
    with pytest.raises(DomainError):
        token_create(personas["ward_officer"], name=" ")


def test_tokens_page_creates_and_shows_the_key_once(client_for: Any) -> None:
    client = client_for("ward_officer")
    response = client.post("/accounts/tokens/", {"name": "phone app", "days": 30})
    assert response.status_code == 200 and b"sw_" in response.content
    again = client.get("/accounts/tokens/")
    assert b"phone app" in again.content and b"sw_" in again.content  # prefix only
