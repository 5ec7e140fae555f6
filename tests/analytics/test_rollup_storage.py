"""How the rollup table is stored: by its cell key, on SQLite without a rowid."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.state import ProjectState

from safeward.analytics.models import RollupValue

KEY = ["indicator", "period_kind", "unit_id", "period_start", "dims_key", "bucket"]


@pytest.mark.django_db
def test_rollup_rows_live_in_their_primary_key() -> None:
    table = RollupValue._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert cursor.fetchone()[0].rstrip().endswith("WITHOUT ROWID")
            cursor.execute(f"PRAGMA table_info({table})")
            by_position = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
            assert [name for _pos, name in by_position] == KEY
        else:
            cursor.execute(
                "SELECT a.attname FROM pg_index i"
                " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = %s::regclass AND i.indisprimary"
                " ORDER BY array_position(i.indkey, a.attnum)",
                [table],
            )
            assert [row[0] for row in cursor.fetchall()] == KEY


def test_migration_moves_an_existing_table_with_its_rows(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """A table made before the change (with a rowid) is rebuilt in place, rows kept."""
    import importlib

    from safeward.core.sqlite.base import DatabaseWrapper

    migration = importlib.import_module("safeward.analytics.migrations.0005_rollup_stored_by_key")
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE analytics_rollupvalue (indicator varchar(80) NOT NULL, unit_id bigint"
        " NOT NULL, period_kind varchar(8) NOT NULL, period_start date NOT NULL, dims_key"
        " varchar(400) NOT NULL, bucket bigint NOT NULL, value real NOT NULL, count bigint"
        " NOT NULL, PRIMARY KEY (indicator, period_kind, unit_id, period_start, dims_key,"
        " bucket))"
    )
    rows = [
        ("x", 2, "month", "2024-02-01", "{}", 0, 3.0, 3),
        ("x", 1, "year", "2024-01-01", '{"category":"theft"}', 0, 1.0, 1),
    ]
    old.executemany("INSERT INTO analytics_rollupvalue VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    old.commit()
    old.close()
    settings = {
        **{k: v for k, v in connection.settings_dict.items() if k != "OPTIONS"},
        "ENGINE": "safeward.core.sqlite",
        "NAME": str(path),
        "OPTIONS": {},
    }
    with django_db_blocker.unblock():
        db = DatabaseWrapper(settings, alias="rollup-migration")
        apps = ProjectState.from_apps(global_apps).apps
        with db.schema_editor(atomic=False) as editor:
            migration.store_by_key(apps, editor)
            migration.store_by_key(apps, editor)  # a second run changes nothing
        with db.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'analytics_rollupvalue'")
            assert cursor.fetchone()[0].endswith("WITHOUT ROWID")
            cursor.execute(f"SELECT {migration.COLUMNS} FROM analytics_rollupvalue")
            assert sorted(tuple(map(str, r)) for r in cursor.fetchall()) == sorted(
                tuple(map(str, r)) for r in rows
            )
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE '%rowid%'")
            assert cursor.fetchall() == []
        db.close()
