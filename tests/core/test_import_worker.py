"""A large import through the real task worker keeps other writers going and lands whole;
one whose worker is killed mid-write is closed by the periodic tidy, leaving nothing.

The scenarios (``import_worker_scenario.py``, ``import_tidy_scenario.py``) run in their own
process on a fresh database: a file for SQLite (the test runner's database is in memory),
a new database on PostgreSQL. They assert counts only, never timings.
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


def _database_url(tmp_path: Path, suffix: str = "import_worker") -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    import psycopg

    base, name = url.rsplit("/", 1)
    fresh = f"{name}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    return f"{base}/{fresh}"


def _scenario(module: str, tmp_path: Path, rows: int, suffix: str, **env: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path, suffix),
        "SAFEWARD_VAR_DIR": str(tmp_path),
        "SAFEWARD_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "safeward.config.settings",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-m", module, "--rows", str(rows)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1_500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def figures(tmp_path: Path) -> dict[str, Any]:
    return _scenario("tests.core.import_worker_scenario", tmp_path, ROWS, "import_worker")


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


def test_an_import_whose_worker_was_killed_is_closed_by_the_periodic_tidy(
    tmp_path: Path,
) -> None:
    seen = _scenario(
        "tests.core.import_tidy_scenario",
        tmp_path,
        3_000,
        "import_tidy",
        SAFEWARD_IMPORT_STALE_SECONDS="2",
        SAFEWARD_WORKER_STALE_SECONDS="2",
        SAFEWARD_LOG_LEVEL="ERROR",
    )
    # Killed mid-write: the job still said "writing" and its committed batches were hidden.
    assert seen["hidden_at_kill"] > 0
    assert seen["left_by_kill"]["status"] == "writing"
    assert seen["left_by_kill"]["hidden"] >= seen["hidden_at_kill"]
    # The tidy is one of the periodic jobs serve enqueues; the worker ran it.
    assert "imports: tidy" in seen["enqueued"]
    assert (seen["status"], seen["rows_written"]) == ("failed", 0)
    assert (seen["hidden_after"], seen["cameras_after"]) == (0, seen["cameras_before"])
    message = seen["errors"][0]["message"]
    assert "the worker running it stopped" in message, seen["errors"]
    # The task record itself: RUNNING under the killed worker, whose heartbeat stayed behind;
    # the lost-task tidy (run by the same periodic pass) failed it, naming that worker.
    status, claimed_by, _, _ = seen["left_by_kill"]["task"]
    assert status == "RUNNING" and claimed_by[-1] in seen["left_by_kill"]["beats"]
    assert "tasks: tidy lost" in seen["enqueued"]
    status, _, cause, trace = seen["task_after"]
    assert (status, cause) == ("FAILED", "safeward.core.workers.WorkerLost")
    assert f"worker {claimed_by[-1]} stopped" in trace
    # The uploader's page says so (the job's language is the uploader's: English here).
    assert seen["page_status"] == 422
    assert "Nothing was imported" in seen["page_text"]
    assert message.split(" at ")[0] in seen["page_text"]
