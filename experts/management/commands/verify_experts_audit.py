"""`manage.py verify_experts_audit`: check the experts app's hash-chained audit trail and the state it vouches for."""

from django.core.management.base import BaseCommand, CommandError

from experts.audit import verify
from experts.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the experts audit trail: unbroken hash chains, and accreditations, assignments, visits and reviews as audited."

    def handle(self, *args, **options):
        problems = verify()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the experts audit trail.")
        self.stdout.write(f"Experts audit trail OK: {AuditEntry.objects.count()} entries.")
