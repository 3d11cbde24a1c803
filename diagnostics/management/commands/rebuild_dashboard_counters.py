from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from diagnostics.dashboard_counters import expected_counters, rebuild_dashboard_counters, stored_counters


class Command(BaseCommand):
    help = (
        "Count the dashboards' counters per region (company funnel, maturity per quarter) again from the "
        "companies and their diagnostics (a repair: the writes keep them up to date). With --check, only "
        "report the rows that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; exit with status 1 on a difference")

    def handle(self, *args, check, **options):
        if not check:
            rows = rebuild_dashboard_counters()
            self.stdout.write(_("%(rows)s counter row(s) counted again.") % {"rows": rows})
            return
        differing = 0
        for expected, stored in zip(expected_counters(), stored_counters(), strict=True):
            differing += sum(1 for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key))
        self.stdout.write(
            _("%(count)s counter row(s) differ from the companies and diagnostics.") % {"count": differing}
        )
        if differing:
            raise SystemExit(1)
