"""On SQLite, keep rollup rows in their primary key's B-tree (``WITHOUT ROWID``).

Databases created from now on get the form from SafeWard's SQLite schema editor; this
rebuilds an existing table in it, rows included. PostgreSQL is left as it is.
"""

from typing import Any

from django.db import migrations

TABLE = "analytics_rollupvalue"
COLUMNS = "indicator, unit_id, period_kind, period_start, dims_key, bucket, value, count"


def store_by_key(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        (sql,) = cursor.fetchone()
        if sql.upper().rstrip().endswith("WITHOUT ROWID"):
            return
        create, params = schema_editor.table_sql(apps.get_model("analytics", "RollupValue"))
        if not create.upper().rstrip().endswith("WITHOUT ROWID"):
            create += " WITHOUT ROWID"
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_rowid")
        cursor.execute(create, params)
        cursor.execute(
            f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {TABLE}_rowid"
            " ORDER BY indicator, period_kind, unit_id, period_start, dims_key, bucket"
        )
        cursor.execute(f"DROP TABLE {TABLE}_rowid")


class Migration(migrations.Migration):
    dependencies = [("analytics", "0004_rollup_cell_primary_key")]

    operations = [migrations.RunPython(store_by_key, migrations.RunPython.noop)]
