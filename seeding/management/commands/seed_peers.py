import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from diagnostics.selectors.referential import current_published_referential
from seeding import peer_companies as peers


class Command(BaseCommand):
    help = (
        "Create N peer companies with realistic submitted diagnostics (1 to 3 each, over time) on the current "
        "published referential, across regions, NAF divisions 10-33 and headcount bands, with bulk inserts. "
        "For benchmarks and dashboards; every run adds new companies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, required=True, help="how many companies to create")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for a reproducible population")
        parser.add_argument(
            "--batch-size", type=int, default=peers.BATCH_SIZE, help="companies written per round of inserts"
        )

    def handle(self, *args, companies, seed, batch_size, **options):
        if companies < 1:
            raise CommandError(_("--companies must be at least 1."))
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        referential = current_published_referential()
        if referential is None:
            raise CommandError(
                _(
                    "No published referential: load one first, e.g. "
                    "`manage.py load_referential diagnostics/referentials/industrie-du-futur.yaml --publish`."
                )
            )
        started = time.perf_counter()
        stats = peers.seed_random_peers(referential, companies=companies, seed=seed, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(companies)d companies (with %(users)d owners), %(diagnostics)d submitted diagnostics, "
                    "%(answers)d answers and %(axis_scores)d axis scores on %(referential)s in %(seconds).1f s."
                )
                % {
                    "companies": stats.companies,
                    "users": stats.users,
                    "diagnostics": stats.diagnostics,
                    "answers": stats.answers,
                    "axis_scores": stats.axis_scores,
                    "referential": f"{referential.code} {referential.version}",
                    "seconds": elapsed,
                }
            )
        )
