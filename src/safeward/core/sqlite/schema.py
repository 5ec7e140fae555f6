"""Schema editor for SafeWard's SQLite backend: some tables are stored by their primary key.

An ordinary SQLite table keeps its rows by a hidden rowid, and a declared composite
primary key becomes a second B-tree beside it: every row is written twice and every
read by key goes through both. A table registered with :func:`without_rowid` is
created ``WITHOUT ROWID``: its rows live in the primary key's B-tree itself. Apps
register by model label in ``AppConfig.ready``, so the tables Django rebuilds on
SQLite during migrations (the model states carry the same label) keep the form.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3.schema import DatabaseSchemaEditor as SqliteSchemaEditor

WITHOUT_ROWID: set[str] = set()


def without_rowid(label: str) -> None:
    """Store the model ``app_label.ModelName`` by its primary key on SQLite."""
    WITHOUT_ROWID.add(label.lower())


class DatabaseSchemaEditor(SqliteSchemaEditor):
    def table_sql(self, model: Any) -> tuple[str, Any]:
        sql, params = super().table_sql(model)
        # A surrogate auto-increment key (an older state of the model) needs the rowid.
        if model._meta.label_lower in WITHOUT_ROWID and model._meta.is_composite_pk:
            sql += " WITHOUT ROWID"
        return sql, params
