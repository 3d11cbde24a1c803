"""National-scale data for benchmarks and dashboards: `manage.py seed_national --companies N`.

Two parts, in one transaction:

1. **Bulk** (the volume): company owners, companies spread over the 18 regions, NAF divisions
   10-33 and headcount bands in INSEE-like proportions (`seeding.peer_companies`' weights), owner
   memberships, 1 to 3 *submitted* diagnostics per company (2 on average) over the last years on the published
   referential, their 40 answers each and their score snapshot computed by the one scoring function
   (`diagnostics.scoring.compute_scores`, through `peers.ReferentialContent.score`), and the
   `AxisScore` rows the peer benchmarks sum. Rows carry explicit ids and go in with PostgreSQL's
   COPY (psycopg 3 `cursor.copy()`), or with `executemany` on SQLite; the id sequences are reset
   afterwards, as `loaddata` does.
2. **Services** (the money and the workflows, a few thousand rows): ~300 experts (registered,
   profiled and accredited by the experts services), 2-4 programmes per region, applications
   spread over every status, decisions committing money within the budget and the cap, experts
   proposed from enrolments, visits whose cost is booked on the enrolment, other expenses, reviews
   and completions releasing what was not spent. Every row of that part is written by the same
   services as the pages, so the budget ledger's hash chains, the running totals and the audit
   trails are exactly what the application writes (`reconcile_budgets` reports nothing). The
   e-mails and tasks those services schedule after commit are dropped: the seed tells nobody.
3. **Reports** (`reports`, 20 by default): the PDF reports of the latest diagnostics of companies with an
   enrolment, rendered by the real pipeline after the commit (seeding.national.reports).

Deterministic for a given `seed` (dates are relative to the day it runs). Refuses a database that
already has users, companies, experts or programmes unless it is cleared first (`clear_database`).
"""

import random
import time
from collections import Counter

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from diagnostics.dashboard_counters import rebuild_dashboard_counters
from diagnostics.peer_cells import rebuild_peer_cells
from diagnostics.peer_publication import refresh_peer_publication
from diagnostics.selectors.referential import current_published_referential
from regions.models import EnrolmentTransition
from seeding import peer_companies as peers
from seeding.national.bulk import BULK_MODELS, LARGE_TABLES, BulkWriter, seed_companies
from seeding.national.clearing import PROJECT_APPS, clear_database, database_is_empty
from seeding.national.data_set import (
    DEFAULT_EXPERTS,
    NATIONAL_PASSWORD,
    REFERENTIAL_FILE,
    DatabaseNotEmpty,
    SeedResult,
    expert_email,
    owner_email,
)
from seeding.national.reports import DEFAULT_REPORTS, seed_reports
from seeding.national.through_services import ExpertPool, seed_accounts, seed_experts, seed_programmes


def ensure_referential():
    referential = current_published_referential()
    if referential is not None:
        return referential, False
    call_command("load_referential", str(REFERENTIAL_FILE), "--publish", verbosity=0)
    return current_published_referential(), True


def row_counts(known=None):
    """{"app.Model": rows} for every model of the project's apps that has rows. `known` gives the rows
    of tables that were empty and filled in bulk: counting millions of rows just written costs minutes
    (the first read of each page after the commit sets its hint bits)."""
    known = known or {}
    counts = {}
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label
            total = known[label] if label in known else model._default_manager.count()
            if total:
                counts[label] = total
    return counts


def seed_national(*, companies, seed=0, experts=DEFAULT_EXPERTS, reports=DEFAULT_REPORTS, progress=None):
    """Create the national data set; raises DatabaseNotEmpty on a database already in use."""
    if companies < 1:
        raise ValueError("companies must be at least 1")
    say = progress or (lambda message: None)
    timings = {}
    started, started_cpu = time.perf_counter(), time.process_time()

    def lap(step):
        nonlocal started, started_cpu
        now_, cpu = time.perf_counter(), time.process_time()
        timings[step] = now_ - started
        say(f"{step}: {timings[step]:.1f} s ({cpu - started_cpu:.1f} s CPU in this process)")
        started, started_cpu = now_, cpu

    if not database_is_empty():
        raise DatabaseNotEmpty()
    referential, loaded = ensure_referential()
    content = peers.ReferentialContent(referential)
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password_hash = make_password(NATIONAL_PASSWORD)
    stats = Counter()
    facts = []
    lap("referential")
    with transaction.atomic():
        callbacks_before = len(connection.run_on_commit)
        staff, officers, logins = seed_accounts(rng, password_hash)
        writer = BulkWriter()
        with writer.without_foreign_key_triggers():
            seed_companies(writer, rng, content, count=companies, password_hash=password_hash, now=now, facts=facts)
        lap("companies and diagnostics (bulk)")
        pool = ExpertPool(
            seed_experts(rng, content, count=experts, staff=staff, password_hash=password_hash, today=today)
        )
        lap("experts (services)")
        seed_programmes(
            rng,
            facts=facts,
            officers=officers,
            pool=pool,
            axes=[axis.code for axis in content.axes],
            today=today,
            stats=stats,
        )
        # The services scheduled e-mails and tasks for after commit (decisions, proposals, visit
        # events whose cost is already booked above): the seed tells nobody and enqueues nothing.
        del connection.run_on_commit[callbacks_before:]
        EnrolmentTransition.objects.filter(notified_at=None).update(notified_at=now)
        lap("programmes, enrolments, assignments, visits, expenses (services)")
    lap("commit")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Benchmark-ready: visibility map and hint bits set, statistics of the committed rows; otherwise
        # the first queries of a benchmark pay for it (or autovacuum runs in the middle of one).
        with connection.cursor() as cursor:
            for model in BULK_MODELS:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        lap("vacuum and analyze")
    # The companies and diagnostics were written in bulk, not submitted: the peer cells and the dashboards'
    # counters are counted once from them, and the published figures decided again so that they count the new ones.
    rebuild_peer_cells(referential.code)
    rebuild_dashboard_counters()
    refresh_peer_publication(referential.code)
    seed_reports(count=reports)
    lap("reports (render pipeline)")
    counts = row_counts(known={label: writer.inserted[label] for label in LARGE_TABLES})
    lap("counts")
    return SeedResult(
        companies=companies,
        seed=seed,
        referential=f"{referential.code} {referential.version}",
        referential_loaded=loaded,
        counts=counts,
        logins=logins,
        owner_email_pattern=f"{owner_email(1)} … {owner_email(companies)}",
        expert_email_pattern=f"{expert_email(1)} … {expert_email(experts)}",
        timings=timings,
    )


__all__ = [
    "DEFAULT_EXPERTS",
    "DEFAULT_REPORTS",
    "DatabaseNotEmpty",
    "NATIONAL_PASSWORD",
    "SeedResult",
    "clear_database",
    "database_is_empty",
    "expert_email",
    "owner_email",
    "seed_national",
]
