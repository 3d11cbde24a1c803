"""`manage.py audit_signing_key`: print a new Ed25519 key for the audit trail's anchors."""

from django.core.management.base import BaseCommand

from portal.audit_anchors import new_key_pem


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 private key (PEM) for AUDIT_SIGNING_KEY_FILE, and its public key for "
        "AUDIT_VERIFY_KEY. Keep the private key out of the database and its backups."
    )

    def handle(self, *args, **options):
        pem, public = new_key_pem()
        self.stdout.write(pem, ending="")
        self.stderr.write(f"Public key (AUDIT_VERIFY_KEY): {public}")
