"""50 concurrent certifications of payment claims against one commitment that allows 10.

Same shape as tests/regions/test_concurrency.py (its thread helpers): one enrolment with 10,000 EUR
committed holds 50 submitted claims of 1,000 EUR; 50 threads, released together, each certify one
through the service. Exactly 10 are certified, the other 40 refused with the typed error that says
by how much, 0 other errors; Σ certified = the commitment, and the programme reconciles. Then 50
threads submit claims together on a fresh commitment: all 50 land, with their invoices, 0 errors.
On PostgreSQL (row locks) and on the embedded SQLite (IMMEDIATE transactions).
"""

from decimal import Decimal

import pytest
from django.db import connection  # noqa: F401 (read by the skipif conditions of postgresql_only, sqlite_only)

from regions import services
from regions.exceptions import ClaimAboveCommitment
from regions.models import Enrolment, LedgerEntry, PaymentClaim
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer, claim, invoice
from tests.regions.test_concurrency import in_thread, postgresql_only, run_together, sqlite_only, thread_database

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50
COMMITTED = Decimal("10000")
EACH = Decimal("1000")


def _funded():
    programme = ProgrammeFactory(budget=COMMITTED, cap_per_company=COMMITTED)
    officer = an_officer(programme.region)
    enrolment = EnrolmentFactory(programme=programme, status="in_progress", committed=COMMITTED, officer=officer)
    return enrolment, officer


def _figures(enrolment_id):
    enrolment = Enrolment.objects.get(pk=enrolment_id)
    certified = PaymentClaim.objects.filter(enrolment_id=enrolment_id, status="certified")
    return {
        "certified_total": enrolment.certified_total,
        "certified_claims": certified.count(),
        "sum_certified": sum((c.certified_amount for c in certified), Decimal("0")),
        "ledger_entries": LedgerEntry.objects.filter(enrolment_id=enrolment_id, kind="claim_certified").count(),
        "reconciled": services.reconcile(enrolment.programme).problems,
    }


def _fifty_certifications(tmp_path):
    enrolment, officer = _funded()
    claims = [claim(enrolment, EACH, officer=officer) for _ in range(THREADS)]
    with thread_database(tmp_path) as use_db:
        results = run_together(
            THREADS, lambda i: services.certify_claim(claim=claims[i], amount=EACH, by=officer).status, use_db
        )
        outcome, figures = in_thread(use_db, lambda: _figures(enrolment.pk))
    assert outcome == "ok", figures
    certified = [value for kind, value in results if kind == "ok"]
    refused = [error for kind, error in results if kind == "error"]
    assert certified == ["certified"] * 10
    assert all(isinstance(error, ClaimAboveCommitment) for error in refused), {
        type(e).__name__: str(e) for e in refused
    }
    assert len(refused) == THREADS - 10
    assert {error.excess for error in refused} == {EACH}
    assert figures["certified_claims"] == figures["ledger_entries"] == 10
    assert figures["certified_total"] == figures["sum_certified"] == COMMITTED
    assert figures["reconciled"] == []


def _fifty_submissions(tmp_path):
    enrolment, _officer = _funded()
    member = enrolment.company.memberships.first().user
    with thread_database(tmp_path) as use_db:
        results = run_together(
            THREADS,
            lambda i: (
                services.submit_claim(
                    enrolment=enrolment, amount=EACH, description=f"Facture {i}", invoices=[invoice()], by=member
                ).pk
            ),
            use_db,
        )
        outcome, counts = in_thread(
            use_db,
            lambda: (
                PaymentClaim.objects.filter(enrolment=enrolment).count(),
                PaymentClaim.objects.filter(enrolment=enrolment, invoices__isnull=False).distinct().count(),
            ),
        )
    assert [kind for kind, _value in results] == ["ok"] * THREADS, [v for k, v in results if k == "error"]
    assert outcome == "ok" and counts == (THREADS, THREADS)


@postgresql_only
def test_fifty_concurrent_certifications_stay_within_the_commitment_on_postgresql(tmp_path):
    _fifty_certifications(tmp_path)


@sqlite_only
def test_fifty_concurrent_certifications_on_sqlite_never_lock_out(tmp_path):
    _fifty_certifications(tmp_path)


@postgresql_only
def test_fifty_concurrent_claims_all_land_on_postgresql(tmp_path):
    _fifty_submissions(tmp_path)


@sqlite_only
def test_fifty_concurrent_claims_on_sqlite_never_lock_out(tmp_path):
    _fifty_submissions(tmp_path)
