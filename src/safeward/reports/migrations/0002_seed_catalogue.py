from typing import Any

from django.db import migrations

from safeward.reports.catalogue import seed_catalogue


def seed(apps: Any, schema_editor: Any) -> None:
    seed_catalogue(apps.get_model("reports", "ServiceCategory"), apps.get_model("reports", "CategoryAttribute"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
