"""`manage.py purge_expired`: delete what is past its retention delay (portal.privacy.retention).

Abandoned draft diagnostics (RETENTION_DRAFT_DAYS), invitations and sign-up requests whose link
expired long ago (RETENTION_EXPIRED_INVITATION_DAYS, RETENTION_EXPIRED_SIGNUP_DAYS), expired
sessions. Celery beat runs the same purge daily (task `portal.purge_expired`).
"""

from django.core.management.base import BaseCommand

from portal.privacy.retention import purge_expired


class Command(BaseCommand):
    help = "Delete abandoned draft diagnostics, expired invitations and sign-up requests, expired sessions."

    def handle(self, *args, **options):
        counts = purge_expired()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} deleted")
        self.stdout.write("sessions: expired sessions cleared")
