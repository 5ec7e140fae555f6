"""A dependency that is down answers 503 with Retry-After, never 500: Redis refusing
connections (the real client against a closed port), the database unreachable (PostgreSQL)
or locked by another writer past its timeout (SQLite); and service returns by itself."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from tests.conftest import signed_in_client
from tests.e2e.conftest import ROOT, _database_url, _free_port


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


def staff_client(user: Any) -> Client:
    client = signed_in_client(user)
    client.raise_request_exception = False  # answer as the server does, not re-raise
    return client


@pytest.fixture
def redis_down() -> Iterator[None]:
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=down):
        yield
    caches["default"].close()


@pytest.mark.django_db
def test_redis_down_answers_503_with_retry_after_on_pages_and_the_api(
    personas: dict[str, Any], redis_down: None
) -> None:
    client = staff_client(personas["ward_officer"])
    # Every staff page and API list reads the scope generation from the shared cache.
    page = client.get("/people/households/")
    assert page.status_code == 503, page.status_code
    assert page["Retry-After"] == "15"
    html = page.content.decode()
    assert "SafeWard không kết nối được" in html and "Traceback" not in html
    api = client.get("/api/v1/households/")
    assert api.status_code == 503
    assert api.json()["code"] == "unavailable" and api["Retry-After"] == "15"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real ``safeward serve`` on its own fresh database (SQLite file or PostgreSQL)."""
    tmp = tmp_path_factory.mktemp("outage")
    db_url, drop = _database_url(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SAFEWARD_VAR_DIR": str(tmp),
        "SAFEWARD_SECURE_COOKIES": "0",  # plain http on loopback
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    proc = subprocess.Popen(
        # No task worker: the outage is the web requests' (a worker waiting on the same lock
        # would only lengthen each request's wait).
        [
            *manage,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-worker",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "server.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if _get(base + "/healthz")[0]:
            break
        time.sleep(0.5)
    yield {"base": base, "db": db_url, "log": str(tmp / "server.log")}
    proc.terminate()
    proc.wait(timeout=20)
    if drop:
        drop()


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()
    except OSError:
        return 0, {}, ""


class DatabaseOutage:
    """The live server's database made unusable from outside, then given back.

    PostgreSQL: the database refuses new connections and the server's are ended, as when
    the server restarts. SQLite: another process takes the file's exclusive lock and holds
    it past the busy timeout, as a stuck writer would.
    """

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.lock: sqlite3.Connection | None = None

    def _pg(self, sql: str) -> None:
        import psycopg

        base, name = self.db_url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(sql.format(name=name))

    def __enter__(self) -> None:
        if self.db_url.startswith("postgres"):
            self._pg('ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            self._pg(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            )
        else:
            self.lock = sqlite3.connect(
                self.db_url.removeprefix("sqlite:///"), timeout=10, isolation_level=None
            )
            self.lock.execute("BEGIN IMMEDIATE")  # the write lock; readers go on

    def __exit__(self, *exc: object) -> None:
        if self.lock is not None:
            self.lock.execute("ROLLBACK")
            self.lock.close()
        else:
            self._pg('ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


class Browser:
    """A client with cookies, as a browser: the sign-in form's CSRF token, then its post."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        html = self.opener.open(base + "/accounts/login/", timeout=30).read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, html[:500]
        self.token = found.group(1)

    def sign_in(self, username: str) -> tuple[int, dict[str, str], str]:
        url = self.base + "/accounts/login/"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "username": username, "password": "not-it"}
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            # A write waits for the lock up to its timeout per transaction, a sign-in has a
            # few: generous, so that a loaded machine measures the answer, not the wait.
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()


def test_the_database_out_of_reach_answers_503_and_service_returns(live: dict[str, str]) -> None:
    browser = Browser(live["base"])
    page = live["base"] + "/reports/submit/"
    # A refused sign-in records the attempt (a write): the form answers, nothing is down.
    first = browser.sign_in("nobody")
    assert first[0] in (200, 400), first[2][:1500]
    with DatabaseOutage(live["db"]):
        status, headers, body = browser.sign_in("nobody")
        assert status == 503, (status, body[:300], Path(live["log"]).read_text()[-1500:])
        assert headers["Retry-After"] == "15"
        assert "503" in body and "Traceback" not in body
        if live["db"].startswith("postgres"):
            # No connection at all: reads fail too, pages and the API alike.
            status, headers, body = _get(page)
            assert status == 503 and headers["Retry-After"] == "15", (status, body[:300])
            status, headers, body = _get(live["base"] + "/open311/v2/services.json")
            assert status == 503 and headers["Retry-After"] == "15", (status, body[:300])
    # Back by itself: the next requests reconnect and write again.
    for _ in range(20):
        if _get(page)[0] == 200:
            break
        time.sleep(0.5)
    assert _get(page)[0] == 200
    assert browser.sign_in("nobody")[0] in (200, 400)
