from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from diagnostics.peer_cells import aggregate_cells, rebuild_peer_cells, referential_codes, stored_cells
from diagnostics.peer_publication import refresh_peer_publication


class Command(BaseCommand):
    help = (
        "Count the peer cells again from the companies' latest submitted diagnostics (a repair: the submits "
        "keep them up to date) and refresh the cached peer figures. With --check, only report the cells that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="referential codes (default: every code with diagnostics)")
        parser.add_argument("--check", action="store_true", help="compare only; exit with status 1 on a difference")

    def handle(self, *args, codes, check, **options):
        differing = 0
        for code in codes or referential_codes():
            if check:
                expected, stored = aggregate_cells(code), stored_cells(code)
                wrong = sorted(key for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key))
                differing += len(wrong)
                self.stdout.write(
                    _("%(code)s: %(count)s cell row(s) differ from the diagnostics.")
                    % {"code": code, "count": len(wrong)}
                )
                continue
            rows = rebuild_peer_cells(code)
            refresh_peer_publication(code)
            self.stdout.write(_("%(code)s: %(rows)s cell row(s) counted again.") % {"code": code, "rows": rows})
        if differing:
            raise SystemExit(1)
