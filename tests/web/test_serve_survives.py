"""``safeward serve`` stays up while its SQLite database is locked, and its sealer catches up.

The real command runs in a subprocess on a free port with its own SQLite file; the test
holds the write lock (SQLite's and the backend's lock file) longer than the server's
lock timeout, so the audit sealer meets "database is locked" several times.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes], Path]]:
    database = tmp_path / "serve.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SAFEWARD_VAR_DIR": str(tmp_path),
        "SAFEWARD_MEDIA_ROOT": str(tmp_path / "media"),
        "SAFEWARD_SQLITE_TIMEOUT": "1",
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*manage, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _healthy(base) and time.monotonic() < deadline:
        time.sleep(0.3)
    yield base, database, proc, log
    proc.terminate()
    proc.wait(timeout=30)


def _append_event(db: sqlite3.Connection) -> int:
    cursor = db.execute(
        "INSERT INTO core_auditevent (occurred_at, actor_label, action, object_type, object_id,"
        " object_label, unit_path, request_id, ip, reason, changes, sensitive_read)"
        " VALUES (datetime('now'), 'test', 'test.locked', 'core.auditevent', '1', '', '', '',"
        " '', '', '{}', 0)"
    )
    return int(cursor.lastrowid or 0)


def _sealed(database: Path, event_id: int) -> bool:
    with sqlite3.connect(database, timeout=5) as db:
        return (
            db.execute("SELECT 1 FROM core_auditseal WHERE event_id = ?", [event_id]).fetchone()
            is not None
        )


def test_serve_outlives_a_locked_database_and_seals_afterwards(
    server: tuple[str, Path, subprocess.Popen[bytes], Path],
) -> None:
    base, database, proc, log = server
    assert _healthy(base), log.read_text()[-2000:]
    holder = sqlite3.connect(database, timeout=5, isolation_level=None)
    lock_file = os.open(f"{database}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock_file, fcntl.LOCK_EX)
    holder.execute("BEGIN IMMEDIATE")
    event_id = _append_event(holder)
    # The server's writers give up after 1 s: hold the lock until the sealer has failed at
    # least once (6 s at the least, 45 s at the most on a loaded machine).
    time.sleep(6)
    deadline = time.monotonic() + 39
    while "audit sealer failed" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    holder.execute("COMMIT")
    os.close(lock_file)
    holder.close()
    assert proc.poll() is None, log.read_text()[-3000:]
    assert _healthy(base)
    deadline = time.monotonic() + 40
    while not _sealed(database, event_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _sealed(database, event_id), log.read_text()[-3000:]
    assert "audit sealer failed" in log.read_text()
    assert proc.poll() is None
