"""`manage.py seed_national --companies N`: the national data set for benchmarks (see seeding.national)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from seeding import national as national_seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with national-scale data: N companies across the 18 regions with 1-3 submitted "
        "diagnostics each (bulk inserts, COPY on PostgreSQL), ~300 experts, 2-4 programmes per region with "
        "enrolments, assignments, visits and expenses written through the services. Refuses a database already "
        "in use unless --reset is given. Prints the rows created, the time taken and the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, required=True, help="how many companies to create")
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data set)")
        parser.add_argument(
            "--experts", type=int, default=national_seed.DEFAULT_EXPERTS, help="how many experts to create"
        )
        parser.add_argument(
            "--reports",
            type=int,
            default=national_seed.DEFAULT_REPORTS,
            help="how many PDF reports to render (latest diagnostics of enrolled companies first)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete every user, company, diagnostic, expert and programme (the reference data and "
            "the referential stay)",
        )

    def handle(self, *args, companies, seed, experts, reports, reset, **options):
        if companies < 1:
            raise CommandError(_("--companies must be at least 1."))
        if reports < 0:
            raise CommandError(_("--reports cannot be negative."))
        if experts < 1:
            raise CommandError(_("--experts must be at least 1."))
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        out = self.stdout.write
        if reset:
            tables = national_seed.clear_database()
            out(
                _("Reset: %(tables)d tables emptied (the reference data and the referential stay).")
                % {"tables": tables}
            )
        elif not national_seed.database_is_empty():
            raise CommandError(
                _(
                    "This database already has users, companies, experts, programmes or diagnostics: seed_national "
                    "only fills an empty database, and nothing was written. Run it again with --reset to delete "
                    "them first (everything but the reference data and the referential), or point DATABASE_URL "
                    "at another database."
                )
            )
        verbose = options["verbosity"] >= 2
        result = national_seed.seed_national(
            companies=companies,
            seed=seed,
            experts=experts,
            reports=reports,
            progress=(lambda message: out(f"  {message}")) if verbose else None,
        )
        wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
        if result.referential_loaded:
            out(_("Loaded and published the referential %(referential)s.") % {"referential": result.referential})
        out(
            self.style.SUCCESS(
                _("National data set created on %(vendor)s (%(database)s), seed %(seed)d, referential %(referential)s:")
                % {
                    "vendor": connection.vendor,
                    "database": connection.settings_dict["NAME"],
                    "seed": seed,
                    "referential": result.referential,
                }
            )
        )
        for label, count in sorted(result.counts.items()):
            out(f"  {label:<36} {count:>10,}")
        out(_("Elapsed: %(wall).1f s (wall clock), %(cpu).1f s of CPU in this process.") % {"wall": wall, "cpu": cpu})
        out(
            _("Logins, all with the password %(password)s (officers and staff also type a code from these keys):")
            % {"password": national_seed.NATIONAL_PASSWORD}
        )
        for login in result.logins:
            key = f"  TOTP {login.totp_key}" if login.totp_key else ""
            out(f"  {login.role:<46} {login.email:<48}{key}")
        owners, experts_label = _("Company owners"), _("Experts")
        out(f"  {owners:<46} {result.owner_email_pattern}")
        out(f"  {experts_label:<46} {result.expert_email_pattern}")
