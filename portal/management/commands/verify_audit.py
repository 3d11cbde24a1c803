"""`manage.py verify_audit`: recompute the audit trail's hash chain and daily digests, and run the apps'
checks of the current state against the last audited one. Exits non-zero on the first problem found."""

from django.core.management.base import BaseCommand, CommandError

from portal import audit
from portal.models import AuditDigest, AuditEntry


class Command(BaseCommand):
    help = (
        "Verify the audit trail: unbroken hash chain (the first broken link is reported), daily digests, "
        "and the audited state (accreditations, assignments, visits, reviews, enrolments, money)."
    )

    def handle(self, *args, **options):
        problems = audit.verify()
        if problems:
            self.stderr.write(f"First broken link: {problems[0]}")
            for problem in problems[1:]:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s) in the audit trail.")
        self.stdout.write(
            f"Audit trail OK: {AuditEntry.objects.count()} entries, {AuditDigest.objects.count()} sealed days."
        )
