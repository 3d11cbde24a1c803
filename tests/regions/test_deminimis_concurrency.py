"""50 concurrent acceptances against a budget and a de minimis ceiling that together allow 10.

Same shape as tests/regions/test_concurrency.py (its thread helpers): every thread accepts one
application through the service, released together by a barrier, on PostgreSQL (row locks) and on
the embedded SQLite (IMMEDIATE transactions).

- 30 companies apply to one programme whose budget funds 6 of them (10,000 EUR each);
- two establishments of one undertaking (one SIREN) apply to 10 programmes each with ample budget,
  75,000 EUR each time: the ceiling of 300,000 EUR over three years allows 4 of those 20.
Exactly 10 are accepted, the other 40 refused with the typed error that says why, 0 other errors;
the budgets reconcile and the undertaking's total stays within the ceiling.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection  # noqa: F401 (read by the skipif conditions of postgresql_only, sqlite_only)
from stdnum.luhn import calc_check_digit

from regions import services
from regions.exceptions import BudgetExhausted, DeMinimisExceeded
from regions.models import Enrolment, Programme
from tests.portal.factories import CompanyFactory, OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer
from tests.regions.test_concurrency import in_thread, postgresql_only, run_together, sqlite_only, thread_database

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = Decimal("10000")
LARGE = Decimal("75000")
BUDGET_FUNDS = 6
CEILING_ALLOWS = 4


def second_establishment(company):
    """Another company row (establishment 00002) of the same SIREN as `company`."""
    body = company.siren + "0002"
    establishment = CompanyFactory(siret=body + calc_check_digit(body), region=company.region)
    OwnerFactory(company=establishment)
    return establishment


def scenario():
    tight = ProgrammeFactory(budget=SMALL * BUDGET_FUNDS, cap_per_company=SMALL, target_companies=30)
    officer = an_officer(tight.region)
    enrolments = [
        EnrolmentFactory(programme=tight, status="under_review", requested_amount=SMALL, officer=officer)
        for _ in range(30)
    ]
    first = OwnerFactory(company__region=tight.region).company
    establishments = [first, second_establishment(first)]
    ample = [ProgrammeFactory(budget=LARGE * 2, cap_per_company=LARGE, region=tight.region) for _ in range(10)]
    for programme in ample:
        for company in establishments:
            enrolments.append(
                EnrolmentFactory(
                    programme=programme,
                    company=company,
                    status="under_review",
                    requested_amount=LARGE,
                    officer=officer,
                )
            )
    return tight, ample, first.siren, enrolments, officer


def figures(tight, ample, siren):
    undertaking = Enrolment.objects.filter(company__siret__startswith=siren, status="accepted")
    return {
        "tight_accepted": Enrolment.objects.filter(programme=tight, status="accepted").count(),
        "tight_committed": Programme.objects.get(pk=tight.pk).committed_total,
        "undertaking_accepted": undertaking.count(),
        "undertaking_total": sum((e.committed_amount for e in undertaking), Decimal("0")),
        "reconciled": [problem for programme in [tight, *ample] for problem in services.reconcile(programme).problems],
    }


def _round(tmp_path):
    tight, ample, siren, enrolments, officer = scenario()
    assert len(enrolments) == 50
    amounts = [e.requested_amount for e in enrolments]
    with thread_database(tmp_path) as use_db:
        results = run_together(
            50,
            lambda i: services.accept_enrolment(enrolment=enrolments[i], amount=amounts[i], by=officer).status,
            use_db,
        )
        outcome, found = in_thread(use_db, lambda: figures(tight, ample, siren))
    assert outcome == "ok", found
    accepted = [value for kind, value in results if kind == "ok"]
    errors = [error for kind, error in results if kind == "error"]
    assert accepted == ["accepted"] * (BUDGET_FUNDS + CEILING_ALLOWS)
    unexpected = [e for e in errors if not isinstance(e, BudgetExhausted | DeMinimisExceeded)]
    assert unexpected == [], {type(e).__name__: str(e) for e in unexpected}
    assert sum(isinstance(e, BudgetExhausted) for e in errors) == 30 - BUDGET_FUNDS
    assert sum(isinstance(e, DeMinimisExceeded) for e in errors) == 20 - CEILING_ALLOWS
    assert {e.excess for e in errors if isinstance(e, DeMinimisExceeded)} == {LARGE}
    assert found["tight_accepted"] == BUDGET_FUNDS
    assert found["tight_committed"] == SMALL * BUDGET_FUNDS
    assert found["undertaking_accepted"] == CEILING_ALLOWS
    assert found["undertaking_total"] == LARGE * CEILING_ALLOWS == settings.DE_MINIMIS_CEILING
    assert found["reconciled"] == []


@postgresql_only
def test_fifty_acceptances_against_a_budget_and_the_de_minimis_ceiling_accept_ten_on_postgresql(tmp_path):
    for number in range(2):
        _round(tmp_path / f"round-{number}")


@sqlite_only
def test_fifty_acceptances_against_a_budget_and_the_de_minimis_ceiling_accept_ten_on_sqlite(tmp_path):
    _round(tmp_path)
