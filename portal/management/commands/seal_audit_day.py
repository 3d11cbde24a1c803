"""`manage.py seal_audit_day`: write the digest of every past day of the audit trail not sealed yet."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal import audit


class Command(BaseCommand):
    help = "Seal the audit trail's past days (up to yesterday, or --until DAY): one digest row per day."

    def add_arguments(self, parser):
        parser.add_argument("--until", help="last day to seal, YYYY-MM-DD (default: yesterday; never today)")

    def handle(self, *args, until=None, **options):
        last_day = None
        if until:
            try:
                last_day = date.fromisoformat(until)
            except ValueError as error:
                raise CommandError(f"--until takes a date as YYYY-MM-DD, not {until!r}.") from error
            if last_day >= audit.timezone.localdate():
                raise CommandError("Only past days can be sealed.")
        digests = audit.seal(until=last_day)
        for digest in digests:
            self.stdout.write(f"{digest.day.isoformat()}: {digest.count} entries, {digest.hash}")
        self.stdout.write(f"{len(digests)} day(s) sealed.")
