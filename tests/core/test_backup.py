from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_backup_writes_a_readable_copy(tmp_path: Path) -> None:
    target = tmp_path / "safeward.backup"
    call_command("backup", str(target))
    assert target.stat().st_size > 0
    if connection.vendor == "sqlite":
        with sqlite3.connect(target) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT COUNT(*) FROM geo_adminunit").fetchone()[0] > 200


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
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="not a SQLite backup"):
            call_command("restore", str(bogus), yes=True)
