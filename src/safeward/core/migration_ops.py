"""Migration helpers: changing a table's indexes without rebuilding the table.

On SQLite, Django alters a field whose ``db_index`` changes by copying the whole
table into a new one, which loses the triggers set on it (the audit trail's
append-only guard) and rewrites every row. Dropping the index is all that is needed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_column_indexes(table: str, columns: list[str]) -> migrations.RunPython:
    """An operation dropping the non-unique indexes on exactly one of ``columns`` each."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        quote = schema_editor.quote_name
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table)
        for name, info in found.items():
            if (
                info["index"]
                and not info["unique"]
                and not info["primary_key"]
                and len(info["columns"]) == 1
                and info["columns"][0] in columns
            ):
                schema_editor.execute(f"DROP INDEX {quote(name)}")

    return migrations.RunPython(forwards, migrations.RunPython.noop)
