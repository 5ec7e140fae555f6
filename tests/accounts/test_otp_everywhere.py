"""Every URL in the URLconf needs the second sign-in step, except the ones listed as public here.

The URL list is generated from ``get_resolver()``, so a new page or endpoint is covered the day
it is added: it must answer a half-signed-in staff session with a redirect to the OTP page
(pages), 401 (API) or 404, or be added to ``PUBLIC`` below with a reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from safeward.accounts.middleware import OTP_SESSION_KEY
from safeward.accounts.models import ApiToken
from safeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db

OTP_URL = "/accounts/otp/"

# View name -> why a half-signed-in session may reach it.
PUBLIC: dict[str, str] = {
    "accounts:login": "the first sign-in step",
    "accounts:otp": "the second sign-in step",
    "accounts:enrol": "setting up the second step is part of it",
    "accounts:logout": "abandoning sign-in must always work",
    "healthz": "load balancer probe, no data",
    "favicon": "the site icon, a redirect to a static file",
    "set_language": "language switch on the sign-in pages",
    "javascript-catalog": "translated strings only",
    "schema": "API description, no data; anonymous visitors read it too",
    "api-docs": "API description, no data; anonymous visitors read it too",
    "api-redoc": "API description, no data; anonymous visitors read it too",
    "web:landing": "residents' portal",
    "reports:submit": "residents' portal: report",
    "reports:attribute_fields": "residents' portal: questions for a category",
    "reports:submitted": "residents' portal: report received",
    "reports:track": "residents' portal: follow a report by its code",
    "reports:track_detail": "residents' portal: follow a report by its code",
    "reports:track_reply": "residents' portal: reply under a report's code and secret",
    "reports:track_place": "residents' portal: correct the place under the code and secret",
    "reports:stats": "public statistics",
    "evidence:stats": "public statistics",
    "evidence:upload": "a custodian's upload link carries its own secret",
    "outreach:calendar": "public calendar of sessions",
    "reports:open311_root": "Open311: anonymous by the standard",
    "reports:open311_discovery": "Open311: anonymous by the standard",
    "reports:open311_services": "Open311: anonymous by the standard",
    "reports:open311_service": "Open311: anonymous by the standard",
    "reports:open311_requests": "Open311: anonymous by the standard, writes need its API key",
    "reports:open311_request": "Open311: anonymous by the standard",
    "reports:open311_token": "Open311: anonymous by the standard",
    "reports:open311_updates": "Open311: anonymous by the standard",
}
SIGN_IN_STEPS = {"accounts:login", "accounts:otp", "accounts:enrol", "accounts:logout"}

_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>(?:[^()]|\([^()]*\))*)\)")
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _sample(name: str, regex: str) -> str:
    """A value for a URL parameter: an id, a format, or a word, whichever its regex takes."""
    candidates = ["json", "1", "x"] if name in ("format", "fmt") else ["1", "json", "x"]
    for candidate in [*candidates, ".json"]:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"no sample value for <{name}: {regex}>")


def _fill(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return _ROUTE_PARAM.sub(
            lambda m: _sample(m["name"], pattern.converters[m["name"]].regex), route
        )
    assert isinstance(pattern, RegexPattern)
    text = _GROUP.sub(lambda m: _sample(m["name"], m["regex"]), str(pattern))
    return text.lstrip("^").rstrip("$").replace("/?", "/").replace("\\.", ".")


def _walk(resolver: URLResolver, prefix: str = "", namespace: tuple[str, ...] = ()) -> Any:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, prefix + _fill(entry.pattern), space)
        else:
            assert isinstance(entry, URLPattern)
            yield ":".join((*namespace, entry.name or "")), "/" + prefix + _fill(entry.pattern)


def _urls() -> list[tuple[str, str]]:
    urls = sorted(set(_walk(get_resolver())))
    for view_name, path in urls:
        assert resolve(path).view_name == view_name, path
    return urls


URLS = _urls()


@pytest.fixture
def half_signed_in(personas: dict[str, Any]) -> Client:
    """A staff user who needs 2FA, past the password and not the code."""
    user = personas["province_admin"]
    assert user.requires_2fa
    client = Client()
    client.force_login(user)
    session = client.session
    session[OTP_SESSION_KEY] = False
    session.save()
    return client


def _guarded(response: Any) -> bool:
    """A page sends the session to the second step; the API asks for credentials (401);
    or nothing is there (404)."""
    redirected_to_otp = response.status_code == 302 and response.url == OTP_URL
    return redirected_to_otp or response.status_code in (401, 404)


def _staff_traces(personas: dict[str, Any]) -> tuple[int, int]:
    user = personas["province_admin"]
    return ApiToken.objects.count(), AuditEvent.objects.filter(actor_id=user.pk).count()


@pytest.mark.parametrize(("view_name", "path"), URLS, ids=[f"{n}@{p}" for n, p in URLS])
def test_a_half_signed_in_session_gets_no_staff_page_or_action(
    view_name: str, path: str, half_signed_in: Client, personas: dict[str, Any]
) -> None:
    before = _staff_traces(personas)
    answers = [half_signed_in.get(path), half_signed_in.post(path, {"name": "stolen", "days": 30})]
    assert _staff_traces(personas) == before
    if view_name in PUBLIC:
        return
    for response in answers:
        assert _guarded(response), (path, response.status_code, response.get("Location"))


@pytest.mark.parametrize("view_name", sorted(set(PUBLIC) - SIGN_IN_STEPS))
def test_a_public_url_answers_a_half_signed_in_session_as_an_anonymous_visitor(
    view_name: str, half_signed_in: Client, personas: dict[str, Any]
) -> None:
    paths = [path for name, path in URLS if name == view_name]
    assert paths, f"{view_name} is listed as public but is not in the URLconf"
    username = personas["province_admin"].username
    for path in paths:
        answers = [half_signed_in.get(path), half_signed_in.post(path, {})]
        held = [
            r
            for r in answers
            if r.status_code == 401 or (r.status_code == 302 and r.url == OTP_URL)
        ]
        assert len(held) < len(answers), f"{path} is listed as public but guarded"
        for response in answers:
            assert username.encode() not in response.content, path


def test_the_api_refuses_a_half_signed_in_session(half_signed_in: Client) -> None:
    response = half_signed_in.get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert "credentials were not provided" in response.json()["detail"]


def test_tokens_cannot_be_made_before_the_second_step(half_signed_in: Client) -> None:
    assert half_signed_in.get("/accounts/tokens/").url == OTP_URL
    response = half_signed_in.post("/accounts/tokens/", {"name": "stolen", "days": 30})
    assert response.url == OTP_URL
    assert not ApiToken.objects.filter(name="stolen").exists()
