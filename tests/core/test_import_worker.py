"""A large import through the real task worker keeps other writers going and lands whole.

The scenario (``import_worker_scenario.py``) runs in its own process on a fresh database:
a file for SQLite (the test runner's database is in memory), a new database on
PostgreSQL. It asserts counts only, never timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000  # dozens of write transactions on either database


def _database_url(tmp_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    import psycopg

    base, name = url.rsplit("/", 1)
    fresh = f"{name}_import_worker"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    return f"{base}/{fresh}"


@pytest.fixture
def figures(tmp_path: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "SAFEWARD_VAR_DIR": str(tmp_path),
        "SAFEWARD_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.import_worker_scenario", "--rows", str(ROWS)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1_500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_large_import_keeps_other_writers_going_and_lands_all_or_nothing(
    figures: dict[str, Any],
) -> None:
    good, bad = figures["good"], figures["bad"]
    # Another thread submitted reports through the services all along; none failed.
    assert good["failed_writes"] == 0, good["first_failure"]
    assert bad["failed_writes"] == 0, bad["first_failure"]
    assert good["reports_written"] > 0 and bad["reports_written"] > 0
    assert figures["reports_new"] == good["reports_written"] + bad["reports_written"]
    # The good file landed whole, and no reader saw part of it on the way.
    assert (good["status"], good["rows_written"]) == ("done", ROWS), good["errors"]
    assert good["cameras_after"] - good["cameras_before"] == ROWS
    assert (good["partial_seen"], good["cameras_marked"]) == (0, 0)
    assert good["looks"] > 0
    # The file refused at its last row, after earlier batches were written, landed nothing.
    assert bad["status"] == "failed"
    assert [e["row"] for e in bad["errors"]] == [ROWS + 1]
    assert bad["cameras_after"] == bad["cameras_before"] == good["cameras_after"]
    assert (bad["partial_seen"], bad["cameras_marked"]) == (0, 0)
