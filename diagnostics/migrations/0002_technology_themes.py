"""The seven technology priorities of the Industrie du Futur offer (data in diagnostics/reference_data.py)."""

from django.db import migrations

from diagnostics.reference_data import load_technology_themes


def load_themes(apps, schema_editor):
    load_technology_themes(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_themes, migrations.RunPython.noop),
    ]
