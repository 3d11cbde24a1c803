"""Check every programme's money: totals against the rows they sum, and the ledger's hash chain."""

import sys

from django.core.management.base import BaseCommand

from regions.models import Programme
from regions.services import reconcile


class Command(BaseCommand):
    help = (
        "Reconcile the programmes' budgets: Σ committed, Σ spent and the ledger's hash chain. Exit code 1 on a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, help="Only this programme (id).")

    def handle(self, *args, programme=None, **options):
        target = Programme.objects.get(pk=programme) if programme else None
        report = reconcile(target)
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            self.stderr.write(self.style.ERROR(f"{len(report.problems)} problem(s)."))
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(f"OK: {report.programmes} programme(s), {report.enrolments} enrolment(s) reconcile.")
        )
