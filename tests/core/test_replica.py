"""Reads from a real PostgreSQL streaming replica, and every way back to the primary.

A private primary and hot standby are started on loopback (``safeward.core.pgcluster``),
the schema is migrated on the primary and streamed to the standby, and the real
``manage.py serve`` runs with ``SAFEWARD_REPLICA_URL``. The standby logs every statement,
and its replay can be paused: a unit added on the primary while replay is paused is on
the page only when the primary answered, so each test reads on the page itself which
server answered, and the standby's log says the same.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from safeward.core import pgcluster

# Its own PostgreSQL servers, so it runs once in CI (the SQLite suite).
pytestmark = pytest.mark.standalone

ROOT = Path(__file__).resolve().parents[2]
STATS = "/reports/statistics/"
DASHBOARD_SQL = re.compile(r'statement: SELECT .*FROM "geo_adminunit"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    pair: pgcluster.Pair
    base: str
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def add_province(self, name: str) -> None:
        self.manage(
            "shell",
            "-c",
            "from safeward.geo.models import AdminUnit;"
            f"AdminUnit.objects.create(code={name!r}, name={name!r}, level='province')",
        )

    def replica_reads(self) -> int:
        """How many unit-list statements the standby has run so far."""
        return len(DASHBOARD_SQL.findall(self.pair.replica.log.read_text(errors="replace")))


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
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
        stderr=log.open("w"),
    )
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("server did not start: " + log.read_text()[-2000:])


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    root = Path(tempfile.mkdtemp(prefix="safeward-replica-"))
    pair = pgcluster.start_pair(
        root, _free_port(), _free_port(), replica_options=["-c log_statement=all"]
    )
    try:
        pair.primary.psql("CREATE DATABASE safeward")
        env = {
            **os.environ,
            "DATABASE_URL": pair.primary.url("safeward"),
            "SAFEWARD_REPLICA_URL": pair.replica.url("safeward"),
            "SAFEWARD_REPLICA_CHECK_SECONDS": "0",
            "SAFEWARD_REPLICA_MAX_LAG_SECONDS": "60",
            "SAFEWARD_VAR_DIR": str(root),
            "SAFEWARD_MEDIA_ROOT": str(root / "media"),
            "SAFEWARD_DEMO_MODE": "1",
            "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
        }
        env.pop("SAFEWARD_TEST_DB_NAME", None)
        site = Site(pair, "", env)
        site.manage("migrate", "--noinput", "-v0")
        site.add_province("Tỉnh Đầu Tiên")
        pair.wait_replayed()
        port = _free_port()
        proc = _serve(env, port, root / "server.log")
        site.base = f"http://127.0.0.1:{port}"
        yield site
        proc.terminate()
        proc.wait(timeout=20)
    finally:
        pair.stop()


def _page(site: Site, session: requests.Session | None = None) -> str:
    response = (session or requests).get(site.base + STATS, timeout=10)
    assert response.status_code == 200 and '<select name="unit">' in response.text, response.text[
        :500
    ]
    return response.text


def _resume(site: Site) -> None:
    site.pair.replica.psql("SELECT pg_wal_replay_resume()")
    site.pair.wait_replayed()


def test_a_statistics_page_is_read_from_the_replica(site: Site) -> None:
    before = site.replica_reads()
    assert "Tỉnh Đầu Tiên" in _page(site)
    assert site.replica_reads() > before


def test_a_page_that_is_not_marked_never_reads_the_replica(site: Site) -> None:
    before = site.replica_reads()
    response = requests.get(site.base + "/reports/track/", timeout=10)
    assert response.status_code == 200 and 'name="code"' in response.text
    assert site.replica_reads() == before


def test_a_client_who_just_wrote_reads_its_write_from_the_primary(site: Site) -> None:
    site.pair.replica.psql("SELECT pg_wal_replay_pause()")
    try:
        site.add_province("Tỉnh Vừa Thêm")
        # A replica a moment behind is still used by everyone else...
        assert "Tỉnh Vừa Thêm" not in _page(site)
        # ...but a client that has just posted is pinned to the primary.
        session = requests.Session()
        session.get(site.base + STATS, timeout=10)
        posted = session.post(
            site.base + "/i18n/setlang/",
            data={"language": "vi", "next": STATS},
            headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": site.base + STATS},
            timeout=10,
        )
        assert posted.status_code == 200 and '<select name="unit">' in posted.text, posted.text[
            :300
        ]
        before = site.replica_reads()
        assert "Tỉnh Vừa Thêm" in _page(site, session)
        assert site.replica_reads() == before
    finally:
        _resume(site)
    assert "Tỉnh Vừa Thêm" in _page(site)


def test_a_lagging_replica_is_left_for_the_primary(site: Site, tmp_path: Path) -> None:
    port = _free_port()
    strict = _serve({**site.env, "SAFEWARD_REPLICA_MAX_LAG_SECONDS": "1"}, port, tmp_path / "log")
    other = Site(site.pair, f"http://127.0.0.1:{port}", site.env)
    site.pair.replica.psql("SELECT pg_wal_replay_pause()")
    try:
        site.add_province("Tỉnh Trễ")
        time.sleep(1.5)  # past this server's SAFEWARD_REPLICA_MAX_LAG_SECONDS
        before = site.replica_reads()
        assert "Tỉnh Trễ" in _page(other)
        assert site.replica_reads() == before
        # The lenient server still reads the replica, a unit behind.
        assert "Tỉnh Trễ" not in _page(site)
    finally:
        strict.terminate()
        strict.wait(timeout=20)
        _resume(site)


def test_a_stopped_replica_costs_nothing_but_the_primary_answers(site: Site) -> None:
    site.pair.replica.stop("immediate")
    try:
        site.add_province("Tỉnh Khi Dừng")
        text = _page(site)
        assert "Tỉnh Khi Dừng" in text
        assert "Tỉnh Đầu Tiên" in text
    finally:
        site.pair.replica.start("-c hot_standby=on", "-c fsync=off", "-c log_statement=all")
        site.pair.wait_replayed()
    # Back by itself: the next health check finds it and reads go there again.
    before = site.replica_reads()
    assert "Tỉnh Khi Dừng" in _page(site)
    assert site.replica_reads() > before
