"""Concurrent submits in one region and quarter lose no count: the counters' rows are made sure to exist
(a concurrent insert ignored), then added to with F() updates. Thread helpers of tests/regions/test_concurrency.py;
on PostgreSQL (row locks) and on the embedded SQLite (IMMEDIATE transactions)."""

import pytest
from django.db import connection  # noqa: F401 (read by the skipif conditions of postgresql_only, sqlite_only)

from diagnostics import services
from diagnostics.dashboard_counters import expected_counters, stored_counters
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.portal.factories import CompanyFactory, UserFactory
from tests.regions.test_concurrency import in_thread, postgresql_only, run_together, sqlite_only, thread_database

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 10


def _concurrent_submits(tmp_path):
    PublishedReferentialFactory(axes=2, questions=2)
    user = UserFactory()
    drafts = []
    for _ in range(THREADS):
        draft = services.start_diagnostic(company=CompanyFactory(), by=user)
        answer_all(draft, level=3)
        drafts.append(draft)
    with thread_database(tmp_path) as use_db:
        results = run_together(THREADS, lambda i: services.submit_diagnostic(diagnostic=drafts[i], by=user).pk, use_db)
        outcome, (expected, stored) = in_thread(use_db, lambda: (expected_counters(), stored_counters()))
    assert [kind for kind, _value in results] == ["ok"] * THREADS, results
    assert outcome == "ok"
    assert stored == expected
    (funnel,) = stored[0].values()
    assert funnel == (THREADS, THREADS, THREADS)


@postgresql_only
def test_concurrent_submits_lose_no_count_on_postgresql(tmp_path):
    _concurrent_submits(tmp_path)


@sqlite_only
def test_concurrent_submits_lose_no_count_on_sqlite(tmp_path):
    _concurrent_submits(tmp_path)
