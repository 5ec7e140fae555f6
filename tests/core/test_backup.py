from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_backup_writes_a_readable_copy(tmp_path: Path) -> None:
    target = tmp_path / "safeward.backup"
    if connection.vendor == "sqlite":
        # The test database lives in shared memory inside an open transaction; back up a real file instead.
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            "SAFEWARD_VAR_DIR": str(tmp_path),
        }
        for args in (
            ["migrate", "-v0"],
            ["import_units", "--province", "Quảng Ninh"],
            ["backup", str(target)],
        ):
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), *args],
                env=env,
                check=True,
                capture_output=True,
            )
        with tarfile.open(target) as archive:
            archive.extract("database.sqlite3", tmp_path / "out", filter="data")
        with sqlite3.connect(tmp_path / "out" / "database.sqlite3") as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT COUNT(*) FROM geo_adminunit").fetchone()[0] == 239
    else:
        call_command("backup", str(target))
        with tarfile.open(target) as archive:
            dump = archive.extractfile("database.pgdump")
            assert dump is not None and dump.read(5) == b"PGDMP"


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "exists.backup"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(target))
    assert target.read_text() == "keep me"


def test_restore_needs_confirmation_and_a_real_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing"), yes=True)
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a database")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="not a SafeWard backup"):
        call_command("restore", str(bogus), yes=True)
