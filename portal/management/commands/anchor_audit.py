"""`manage.py anchor_audit`: anchor the audit trail outside the database now (beat does it hourly)."""

from django.core.management.base import BaseCommand, CommandError

from portal.audit_anchors import AnchorConflict, anchor, signing_key


class Command(BaseCommand):
    help = (
        "Sign what the audit trail's anchors do not cover yet (sealed days, then the chain's head and the "
        "current day's running digest) and write each anchor once to the file storage, timestamped when "
        "AUDIT_TSA_URL is set."
    )

    def handle(self, *args, **options):
        if signing_key() is None:
            raise CommandError("No signing key: set AUDIT_SIGNING_KEY_FILE (or AUDIT_SIGNING_KEY).")
        try:
            anchors = anchor()
        except AnchorConflict as error:
            raise CommandError(str(error)) from error
        for written in anchors:
            stamped = ", timestamped" if written.timestamp else ""
            self.stdout.write(
                f"anchor {written.number} ({written.kind}) up to entry {written.seq}: {written.key}{stamped}"
            )
        self.stdout.write(f"{len(anchors)} anchor(s) written.")
