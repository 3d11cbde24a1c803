"""`manage.py verify_audit`: recompute the audit trail's hash chain and daily digests, check it against
its anchors outside the database (signatures, stored copies, timestamps), and run the apps' checks of
the current state against the last audited one. Exits non-zero on the first problem found."""

from django.core.management.base import BaseCommand, CommandError

from portal import audit
from portal.models import AuditDigest, AuditEntry


class Command(BaseCommand):
    help = (
        "Verify the audit trail: unbroken hash chain (the first broken link is reported), daily digests, "
        "the anchors outside the database (signed, stored once, timestamped: an entry rewritten and "
        "re-hashed after its anchor is named), and the audited state (accreditations, assignments, "
        "visits, reviews, enrolment statuses and amounts, budgets)."
    )

    def handle(self, *args, **options):
        problems, anchors = audit.verify_with_anchors()
        for note in anchors.notes:
            self.stdout.write(f"Note: {note}")
        if problems:
            self.stderr.write(f"First broken link: {problems[0]}")
            for problem in problems[1:]:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} problem(s) in the audit trail.")
        anchored = (
            f"{anchors.anchors} anchors outside the database up to entry {anchors.anchored_seq} "
            f"({anchors.timestamped} timestamped)"
            if anchors.anchors
            else "no anchor"
        )
        self.stdout.write(
            f"Audit trail OK: {AuditEntry.objects.count()} entries, {AuditDigest.objects.count()} sealed days, "
            f"{anchored}."
        )
