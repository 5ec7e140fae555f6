"""Three indexes fewer on every report written.

``category`` and ``ward`` are served by the indexes on (category, received_at) and
(ward, received_at); ``unit_path`` keeps one index (PostgreSQL had a plain and a
pattern-matching one).
"""

import django.db.models.deletion
from django.db import migrations, models

from safeward.core.migration_ops import drop_column_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_path_pattern_index"),
        ("reports", "0003_media_url_and_rate_counters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="reports.servicecategory",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="unit_path",
                    field=models.CharField(editable=False, max_length=255),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="ward",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.adminunit",
                        verbose_name="ward",
                    ),
                ),
            ],
            database_operations=[
                drop_column_indexes("reports_report", ["category_id", "unit_path", "ward_id"])
            ],
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["unit_path"], name="reports_unit_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
