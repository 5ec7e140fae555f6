"""Three indexes fewer on every audit event written.

``object_type`` is served by ``audit_object_idx``; ``action`` and ``unit_path`` keep one
index each (PostgreSQL had a plain and a pattern-matching one).
"""

from django.db import migrations, models

from safeward.core.migration_ops import drop_column_indexes

COLUMNS = ["action", "object_type", "unit_path"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="action",
                    field=models.CharField(max_length=64, verbose_name="action"),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="object_type",
                    field=models.CharField(blank=True, max_length=64, verbose_name="object type"),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="unit_path",
                    field=models.CharField(blank=True, max_length=255, verbose_name="unit path"),
                ),
            ],
            database_operations=[drop_column_indexes("core_auditevent", COLUMNS)],
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["action"], name="audit_action_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["unit_path"], name="audit_unit_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
