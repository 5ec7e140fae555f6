from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from safeward.accounts.models import ApiToken, hash_token
from safeward.core.instances import model_copy
from safeward.core.scoping import clear_scope_cache, scope_cache

_last_used: dict[int, Any] = {}  # when this process last recorded a token's use


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token sw_...``: acts as the token's user, with the user's scope."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] not in (self.keyword, "Bearer"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        token = self.token_for(hash_token(header[1]))
        if token is None or not token.is_usable or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        now = timezone.now()
        last_used = _last_used.get(token.pk) or token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            _last_used[token.pk] = token.last_used_at = now
        return token.user, token

    @staticmethod
    def token_for(key_hash: str) -> ApiToken | None:
        """The token with its user: a fresh copy of the one kept in the scope cache, or read.

        Revoking a token or changing its user saves a row the scope cache watches, which
        drops every kept token at once.
        """
        generation = scope_cache.generation()
        kept = scope_cache.get("token", key_hash, generation)
        if kept is not None:
            return _detached(kept)
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if token is not None:
            scope_cache.put("token", key_hash, _detached(token), generation)
        return token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


def _detached(token: ApiToken) -> ApiToken:
    """A copy of ``token`` and its user that no other request shares."""
    twin = model_copy(token)
    user = model_copy(token.user)
    clear_scope_cache(user)
    twin.user = user
    return twin


class OtpSessionAuthentication(authentication.SessionAuthentication):
    """Session sign-in for the API, valid only once two-factor sign-in is complete."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        from safeward.accounts.middleware import OTP_SESSION_KEY

        user = result[0]
        if user.requires_2fa and not request._request.session.get(OTP_SESSION_KEY):
            return None
        return result
