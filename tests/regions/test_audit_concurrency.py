"""Concurrent audited changes on different programmes (so no programme lock orders them): the audit
chain head lock still numbers and chains the entries one at a time, and the trail verifies.

On PostgreSQL the threads share the test database (row locks); on SQLite they share a file copy of
it (`BEGIN IMMEDIATE` serialises the writers). Helpers from tests/regions/test_concurrency.py.
"""

from decimal import Decimal

import pytest

from portal import audit
from portal.models import AuditEntry
from regions import services
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer
from tests.regions.test_concurrency import in_thread, run_together, thread_database

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


def test_concurrent_decisions_on_different_programmes_keep_one_unbroken_chain(tmp_path):
    officer = None
    enrolments = []
    for _ in range(THREADS):
        programme = ProgrammeFactory(budget=Decimal("50000"))
        officer = officer or an_officer(programme.region)
        enrolments.append(EnrolmentFactory(programme=programme, status="under_review", officer=officer))
    before = AuditEntry.objects.count()

    def accept(index):
        return services.accept_enrolment(enrolment=enrolments[index], amount=Decimal("4000"), by=officer).pk

    with thread_database(tmp_path) as use_db:
        results = run_together(THREADS, accept, use_db)
        assert [outcome for outcome, _value in results] == ["ok"] * THREADS, results

        def read():
            seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
            accepted = AuditEntry.objects.filter(action="enrolment.accepted").count()
            return seqs, accepted, [str(problem) for problem in audit.verify()]

        outcome, (seqs, accepted, problems) = in_thread(use_db, read)
    assert outcome == "ok"
    assert seqs == list(range(1, before + THREADS + 1))
    assert accepted == THREADS
    assert problems == []
