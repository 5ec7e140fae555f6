"""Rollup rows keyed by their cell instead of a surrogate id.

A rebuild writes millions of rows; the id cost each one a sequence step and a
second index entry. The rows are derived, so the table is recreated empty and every
fill state is dropped: the next refresh (every minute under ``safeward serve``, or
``manage.py analytics rebuild``) rebuilds all indicators.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def forget_fill_states(apps: Any, schema_editor: Any) -> None:
    apps.get_model("analytics", "FillState").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_rollup_unit_without_constraint"),
        ("geo", "0002_path_pattern_index"),
    ]

    operations = [
        migrations.DeleteModel(name="RollupValue"),
        migrations.CreateModel(
            name="RollupValue",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "indicator",
                        "period_kind",
                        "unit",
                        "period_start",
                        "dims_key",
                        "bucket",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("indicator", models.CharField(max_length=80)),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="geo.adminunit",
                    ),
                ),
                (
                    "period_kind",
                    models.CharField(
                        choices=[
                            ("day", "Day"),
                            ("month", "Month"),
                            ("quarter", "Quarter"),
                            ("year", "Year"),
                        ],
                        max_length=8,
                    ),
                ),
                ("period_start", models.DateField()),
                ("dims_key", models.CharField(default="{}", max_length=400)),
                ("bucket", models.BigIntegerField(default=0)),
                ("value", models.FloatField(default=0)),
                ("count", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forget_fill_states, migrations.RunPython.noop),
    ]
