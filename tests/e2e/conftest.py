"""Browser tests: a real SafeWard server (gunicorn) on a fresh demo database, driven by Chromium.

The server runs in a subprocess on a free port with its own database: a
temporary SQLite file, or (when ``DATABASE_URL`` points at PostgreSQL) a
database created for the session and dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
DEMO_PASSWORD = "SafeWard-demo-2025"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp: Path) -> tuple[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'e2e.sqlite3'}", None
    import psycopg

    name = f"safeward_e2e_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


_SERVER_ENV: dict[str, str] = {}


def manage(*args: str) -> str:
    """Run a management command against the browser tests' server database."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=_SERVER_ENV,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running server with the full demo loaded."""
    tmp = tmp_path_factory.mktemp("e2e")
    db_url, drop = _database_url(tmp)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SAFEWARD_VAR_DIR": str(tmp),
        "SAFEWARD_DEMO_MODE": "1",
        "SAFEWARD_MEDIA_ROOT": str(tmp / "media"),
        # Text messages into local outboxes, as under ``make demo``.
        "SAFEWARD_SMS_GATEWAY_URL": f"file://{tmp / 'outbox' / 'sms.jsonl'}",
        "SAFEWARD_ZALO_GATEWAY_URL": f"file://{tmp / 'outbox' / 'zalo.jsonl'}",
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    proc = subprocess.Popen(
        [*manage, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "server.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError("server did not start: " + (tmp / "server.log").read_text()[-2000:])
    _SERVER_ENV.update(env)
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    if drop:
        drop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page (Pixel-like, 412 x 915, touch)."""
    context = browser.new_context(
        viewport={"width": 412, "height": 915},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    pg = context.new_page()
    yield pg
    context.close()


def totp_now(username: str, seed: int = 2024) -> str:
    from safeward.demo.foundation import totp_secret_for

    return pyotp.TOTP(totp_secret_for(seed, username)).now()


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign in through the real two-step form (password, then the TOTP code for staff)."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    for _attempt in range(3):
        if "/accounts/otp/" not in page.url:
            break
        page.fill("input[name=code]", totp_now(username))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if "/accounts/otp/" in page.url:
            # A code is accepted once; wait for the next 30-second step.
            time.sleep(31 - time.time() % 30)
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def signed_in(browser: Any, server: str) -> Iterator[Any]:
    """``signed_in(persona, phone=False)``: a page signed in as that persona, one context per persona."""
    contexts: dict[tuple[str, bool], Any] = {}

    def make(username: str, phone: bool = False) -> Any:
        key = (username, phone)
        if key not in contexts:
            opts: dict[str, Any] = (
                {
                    "viewport": {"width": 412, "height": 915},
                    "device_scale_factor": 2,
                    "is_mobile": True,
                    "has_touch": True,
                }
                if phone
                else {"viewport": {"width": 1280, "height": 900}}
            )
            ctx = browser.new_context(locale="vi-VN", **opts)
            pg = ctx.new_page()
            sign_in(pg, server, username)
            contexts[key] = ctx
        ctx = contexts[key]
        return ctx.pages[0] if ctx.pages else ctx.new_page()

    yield make
    for ctx in contexts.values():
        ctx.close()


def set_language(page: Any, base: str, lang: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])


def shot(page: Any, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
