"""Shared fixtures: the real Quảng Ninh units and the named personas, built once per session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeward.accounts.middleware import OTP_SESSION_KEY
from safeward.core.scoping import clear_scope_cache

_CTX: dict[str, Any] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from safeward.demo.scenario import run_demo

    with django_db_blocker.unblock():
        ctx = run_demo(seed=2024, log=lambda _m: None, only_foundation=True)
        _CTX["units"] = {
            k: (v.pk if hasattr(v, "pk") else [u.pk for u in v]) for k, v in ctx.units.items()
        }
        _CTX["users"] = {k: v.pk for k, v in ctx.users.items()}
        from safeward.geo.models import AdminUnit

        bai_chay = AdminUnit.objects.get(pk=_CTX["units"]["bai_chay"])
        _CTX["units"]["bai_chay_khu"] = bai_chay.children.order_by("code").first().pk


@pytest.fixture
def demo_units(db: Any) -> dict[str, Any]:
    from safeward.geo.models import AdminUnit

    result: dict[str, Any] = {}
    for key, value in _CTX["units"].items():
        result[key] = (
            list(AdminUnit.objects.filter(pk__in=value))
            if isinstance(value, list)
            else AdminUnit.objects.get(pk=value)
        )
    return result


@pytest.fixture
def personas(db: Any) -> dict[str, Any]:
    from safeward.accounts.models import User

    users = {name: User.objects.get(pk=pk) for name, pk in _CTX["users"].items()}
    for user in users.values():
        clear_scope_cache(user)
    return users


def signed_in_client(user: Any) -> Client:
    """A browser-like client past both sign-in steps."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[OTP_SESSION_KEY] = True
    session.save()
    return client


@pytest.fixture
def client_for(personas: dict[str, Any]) -> Any:
    return lambda name: signed_in_client(personas[name])


@pytest.fixture
def officer(client_for: Any) -> Any:
    """The ward officer's browser, reading English (for tests that assert the wording)."""
    client = client_for("ward_officer")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def pytest_generate_tests(metafunc: Any) -> None:
    from safeward.core.testing import generate_placements

    generate_placements(metafunc)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Permission-suite tests for actions an endpoint does not offer are not collected at all."""
    from safeward.core.testing import drop_unsupported

    dropped = drop_unsupported(items)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture
def immediate_tasks(settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Run tasks at once, uploads kept in ``tmp_path``; ``with immediate_tasks():`` around a
    request runs the tasks it queued when its transaction would commit."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    return lambda: django_capture_on_commit_callbacks(execute=True)
