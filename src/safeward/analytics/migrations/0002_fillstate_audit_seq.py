from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="fillstate",
            name="audit_seq",
            field=models.PositiveBigIntegerField(default=None, null=True, blank=True),
        ),
    ]
