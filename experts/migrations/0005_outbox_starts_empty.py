"""The assignment and accreditation e-mails became an outbox swept by beat (portal.background): the
history rows recorded before it are marked as dealt with, so that the first sweep sends nothing from
before the upgrade (those e-mails were sent then, or were never to be sent: demo and seed data)."""

from django.db import migrations
from django.db.models import F


def mark_existing_rows(apps, schema_editor):
    for name in ("AssignmentTransition", "AccreditationTransition"):
        apps.get_model("experts", name).objects.filter(notified_at=None).update(notified_at=F("at"))


class Migration(migrations.Migration):
    dependencies = [("experts", "0004_audit_moved_to_portal")]

    operations = [migrations.RunPython(mark_existing_rows, migrations.RunPython.noop)]
