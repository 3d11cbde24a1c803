"""Concurrent acceptances against a yearly tranche smaller than the budget: the tranche is never
over-committed (same locks as the budget check), on PostgreSQL and on the embedded SQLite."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection  # noqa: F401 (read by the skip conditions)
from django.utils import timezone

from regions import services
from regions.exceptions import TrancheExhausted
from regions.models import BudgetTranche, Enrolment
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer
from tests.regions.test_concurrency import in_thread, postgresql_only, run_together, sqlite_only, thread_database

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20
FUNDED = 5
CAP = Decimal("10000")
THIS_YEAR = timezone.localdate().year


def _twenty_acceptances_against_a_tranche_for_five(tmp_path):
    programme = ProgrammeFactory(
        start_date=date(THIS_YEAR, 1, 1),
        end_date=date(THIS_YEAR + 1, 12, 31),
        budget=CAP * THREADS,
        cap_per_company=CAP,
        tranches={THIS_YEAR: CAP * FUNDED, THIS_YEAR + 1: CAP * (THREADS - FUNDED)},
    )
    officer = an_officer(programme.region)
    enrolments = [
        EnrolmentFactory(programme=programme, status="under_review", requested_amount=CAP, officer=officer)
        for _ in range(THREADS)
    ]
    with thread_database(tmp_path) as use_db:
        results = run_together(
            THREADS,
            lambda i: services.accept_enrolment(enrolment=enrolments[i], amount=CAP, by=officer).status,
            use_db,
        )
        outcome, figures = in_thread(
            use_db,
            lambda: {
                "accepted": Enrolment.objects.filter(programme=programme, status="accepted").count(),
                "tranche": BudgetTranche.objects.get(programme=programme, year=THIS_YEAR).committed,
                "problems": services.reconcile(programme).problems,
            },
        )
    assert outcome == "ok", figures
    refused = [error for kind, error in results if kind == "error"]
    assert [value for kind, value in results if kind == "ok"] == ["accepted"] * FUNDED
    assert len(refused) == THREADS - FUNDED
    assert all(isinstance(error, TrancheExhausted) for error in refused), {type(e).__name__ for e in refused}
    assert figures == {"accepted": FUNDED, "tranche": CAP * FUNDED, "problems": []}


@postgresql_only
def test_concurrent_acceptances_never_overdraw_the_tranche_on_postgresql(tmp_path):
    _twenty_acceptances_against_a_tranche_for_five(tmp_path)


@sqlite_only
def test_concurrent_acceptances_never_overdraw_the_tranche_on_sqlite(tmp_path):
    _twenty_acceptances_against_a_tranche_for_five(tmp_path)
