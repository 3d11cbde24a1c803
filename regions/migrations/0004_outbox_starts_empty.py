"""The decisions' e-mails became an outbox swept by beat (portal.background): the transitions recorded
before it are marked as dealt with, so that the first sweep sends nothing from before the upgrade
(those e-mails were sent then, or were lost before there was anything to resend them)."""

from django.db import migrations
from django.db.models import F


def mark_existing_rows(apps, schema_editor):
    apps.get_model("regions", "EnrolmentTransition").objects.filter(notified_at=None).update(notified_at=F("at"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_enrolment_latest_first_index")]

    operations = [migrations.RunPython(mark_existing_rows, migrations.RunPython.noop)]
