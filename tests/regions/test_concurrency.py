"""Concurrent decisions: the budget is never over-committed and a decision is taken once.

Each test releases its threads together with a `threading.Barrier`; every thread works through its
own database connection and closes it at the end.

- PostgreSQL: the real thing (row locks with SELECT … FOR UPDATE). Skipped on another database.
- SQLite: the embedded default. Threads cannot share pytest-django's in-memory test database safely
  (shared-cache mode has table locks that do not wait), so the test copies it into a file
  (`VACUUM INTO`) and points each thread's connection at that file, with the project's settings
  (WAL, `transaction_mode="IMMEDIATE"`, a 20 s busy timeout). No "database is locked" may come out.
"""

import sqlite3
import threading
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from regions import services
from regions.exceptions import AlreadyDecided, BudgetExhausted
from regions.models import Enrolment, EnrolmentTransition, Programme
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 50
FUNDED = 10
CAP = Decimal("10000")
ROUNDS = 3

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="row locks under real concurrency need PostgreSQL (run with DATABASE_URL=postgres://…)",
)
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the embedded SQLite default only")


# --- running threads --------------------------------------------------------------------------------


@contextmanager
def thread_database(tmp_path):
    """Yield a function that points the calling thread's `default` connection at the database the
    threads share: the test database itself on PostgreSQL, a file copy of it on SQLite."""
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "concurrency.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    # The copy comes out in rollback-journal mode. Switching to WAL takes an exclusive lock that the
    # busy timeout does not wait for, so threads connecting together (each connection runs the
    # settings' `PRAGMA journal_mode=WAL`) could fail with "database is locked". WAL is a property of
    # the file: switch it once here, before any thread connects.
    with sqlite3.connect(path) as copy:
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    wrapper = type(connections["default"])  # the backend's DatabaseWrapper (`connection` is a proxy)

    def use_file():
        # `connections` is thread-local: this replaces the calling thread's connection only.
        connections["default"] = wrapper(dict(settings_dict), alias="default")

    yield use_file


def run_together(count, work, use_db):
    """Run `work(i)` in `count` threads released together; return [("ok", value) | ("error", exc)]."""
    barrier = threading.Barrier(count, timeout=60)
    results = [None] * count

    def target(index):
        use_db()
        try:
            with translation.override("en"):
                barrier.wait()
                results[index] = ("ok", work(index))
        except Exception as error:
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def in_thread(use_db, work):
    """Run `work()` in one thread on the shared database (to read what the threads wrote)."""
    return run_together(1, lambda _index: work(), use_db)[0]


def candidates(count, *, budget, cap=CAP):
    """A programme with `count` applications under review, each from its own company."""
    programme = ProgrammeFactory(budget=budget, cap_per_company=cap, target_companies=count)
    officer = an_officer(programme.region)
    enrolments = [
        EnrolmentFactory(programme=programme, status="under_review", requested_amount=cap, officer=officer)
        for _ in range(count)
    ]
    return programme, enrolments, officer


def invariants(programme_id):
    programme = Programme.objects.get(pk=programme_id)
    accepted = list(Enrolment.objects.filter(programme_id=programme_id, status="accepted"))
    return {
        "budget": programme.budget,
        "committed_total": programme.committed_total,
        "sum_committed": sum((e.committed_amount for e in accepted), Decimal("0")),
        "accepted": len(accepted),
        "commit_transitions": EnrolmentTransition.objects.filter(
            enrolment__programme_id=programme_id, to_status="accepted"
        ).count(),
        "reconciled": services.reconcile(programme).problems,
    }


# --- 50 acceptances against a budget for 10 ---------------------------------------------------------


def _fifty_acceptances_round(tmp_path):
    programme, enrolments, officer = candidates(THREADS, budget=CAP * FUNDED)
    with thread_database(tmp_path) as use_db:
        results = run_together(
            THREADS,
            lambda i: services.accept_enrolment(enrolment=enrolments[i], amount=CAP, by=officer).status,
            use_db,
        )
        outcome, figures = in_thread(use_db, lambda: invariants(programme.pk))
    assert outcome == "ok", figures
    accepted = [value for kind, value in results if kind == "ok"]
    refused = [error for kind, error in results if kind == "error"]
    assert accepted == ["accepted"] * FUNDED
    assert len(refused) == THREADS - FUNDED
    assert all(isinstance(error, BudgetExhausted) for error in refused), {type(e).__name__: str(e) for e in refused}
    assert {str(error) for error in refused} == {"Budget exhausted: 0 EUR left, 10,000 EUR asked"}
    assert figures["accepted"] == figures["commit_transitions"] == FUNDED
    assert figures["committed_total"] == figures["sum_committed"] == figures["budget"] == CAP * FUNDED
    assert figures["reconciled"] == []


def _fifty_acceptances(tmp_path):
    for number in range(ROUNDS):
        _fifty_acceptances_round(tmp_path / f"round-{number}")


@postgresql_only
def test_fifty_concurrent_acceptances_commit_exactly_the_budget_on_postgresql(tmp_path):
    _fifty_acceptances(tmp_path)


@sqlite_only
def test_fifty_concurrent_acceptances_on_sqlite_never_lock_out(tmp_path):
    """On the embedded default, IMMEDIATE transactions queue the writers: no "database is locked"."""
    _fifty_acceptances(tmp_path)


# --- a naive check-then-write loses updates ---------------------------------------------------------


def naive_accept(*, enrolment, amount, by, all_have_read):
    """What the services must NOT do: read the total, check it, write it back, without the row lock.
    (Test-only; kept here to show that the CHECK constraint alone does not catch lost updates.)
    `all_have_read`: a barrier the concurrent callers pass between their read and their write, as
    requests do that read at the same time."""
    with transaction.atomic():
        programme = Programme.objects.get(pk=enrolment.programme_id)  # no select_for_update
        left = programme.budget - programme.committed_total
        all_have_read.wait()
        if amount > left:
            raise BudgetExhausted(left=left, asked=amount)
        programme.committed_total = programme.committed_total + amount  # read-modify-write
        programme.save(update_fields=["committed_total"])
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status="accepted", committed_amount=amount, cap_amount=programme.cap_per_company, decided_at=timezone.now()
        )
        EnrolmentTransition.objects.create(enrolment=enrolment, from_status="under_review", to_status="accepted", by=by)
        return "accepted"


def _naive_round(tmp_path):
    programme, enrolments, officer = candidates(20, budget=CAP * 5)
    all_have_read = threading.Barrier(len(enrolments), timeout=60)
    with thread_database(tmp_path) as use_db:
        run_together(
            20,
            lambda i: naive_accept(enrolment=enrolments[i], amount=CAP, by=officer, all_have_read=all_have_read),
            use_db,
        )
        _outcome, figures = in_thread(use_db, lambda: invariants(programme.pk))
    return figures


@postgresql_only
def test_a_naive_check_then_write_over_commits_on_postgresql(tmp_path):
    """The same race against the naive variant breaks the invariant: every thread reads the same
    total, each writes `total + amount`, so the updates overwrite each other (each write alone
    passes the CHECK constraint) and far more than the budget is handed out."""
    rounds = [_naive_round(tmp_path / f"round-{number}") for number in range(ROUNDS)]
    broken = [f for f in rounds if f["sum_committed"] > f["budget"] or f["reconciled"]]
    assert broken, "the naive variant held the invariant every time: the race was not reproduced"
    worst = max(broken, key=lambda f: f["sum_committed"])
    # Lost updates: the programme's total says far less than what the accepted enrolments hold.
    assert worst["committed_total"] < worst["sum_committed"]


# --- one decision per enrolment ---------------------------------------------------------------------


def _decide_once_round(tmp_path):
    programme, (enrolment,), officer = candidates(1, budget=CAP * 3)
    second_officer = an_officer(programme.region)
    mail.outbox.clear()  # the application's receipt and alert
    steps = [
        lambda: services.accept_enrolment(enrolment=enrolment, amount=CAP, by=officer).status,
        lambda: services.refuse_enrolment(enrolment=enrolment, reason="Hors périmètre.", by=second_officer).status,
    ]

    def outcome():
        transitions = EnrolmentTransition.objects.filter(enrolment=enrolment, to_status__in=["accepted", "refused"])
        return (
            list(transitions.values_list("to_status", flat=True)),
            Enrolment.objects.get(pk=enrolment.pk).status,
            Programme.objects.get(pk=programme.pk).committed_total,
        )

    with thread_database(tmp_path) as use_db:
        results = run_together(2, lambda i: steps[i](), use_db)
        _kind, (transitions, status, committed) = in_thread(use_db, outcome)
    done = [value for kind, value in results if kind == "ok"]
    errors = [error for kind, error in results if kind == "error"]
    assert len(done) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], AlreadyDecided)
    assert str(errors[0]).startswith("This application has already been decided:")
    assert transitions == done == [status]
    assert committed == (CAP if status == "accepted" else 0)
    assert len([m for m in mail.outbox if programme.name in m.subject]) == 1


def _accept_and_refuse_together(tmp_path):
    for number in range(5):
        _decide_once_round(tmp_path / f"round-{number}")


@postgresql_only
def test_accept_and_refuse_at_the_same_instant_decide_once_on_postgresql(tmp_path):
    _accept_and_refuse_together(tmp_path)


@sqlite_only
def test_accept_and_refuse_at_the_same_instant_decide_once_on_sqlite(tmp_path):
    _accept_and_refuse_together(tmp_path)


# --- through the web: no response ≥ 500 -------------------------------------------------------------


def test_concurrent_accept_requests_never_answer_500(tmp_path):
    """20 officers' browsers post an acceptance at once against a budget for 5: every response is a
    redirect with a message (no 500, no "database is locked"), and exactly 5 are accepted."""
    programme, enrolments, officer = candidates(20, budget=CAP * 5)
    officer_id = officer.pk

    def post(i):
        from portal.models import User

        client = Client()
        client.force_login(User.objects.get(pk=officer_id))
        response = client.post(
            reverse("regions:enrolment_action", args=[enrolments[i].pk, "accept"]), {"amount": str(CAP)}
        )
        return response.status_code

    with thread_database(tmp_path) as use_db:
        results = run_together(20, post, use_db)
        _outcome, figures = in_thread(use_db, lambda: invariants(programme.pk))
    assert [kind for kind, _value in results] == ["ok"] * 20, results
    assert {value for _kind, value in results} == {302}
    assert figures["accepted"] == 5 and figures["reconciled"] == []


def test_a_company_applies_once_even_when_two_colleagues_click_together(tmp_path):
    programme = ProgrammeFactory()
    owner = OwnerFactory()
    company = owner.company
    from tests.portal.factories import MembershipFactory

    colleague = MembershipFactory(company=company).user
    users = [owner.user, colleague]
    from regions.exceptions import AlreadyApplied

    with thread_database(tmp_path) as use_db:
        results = run_together(
            2,
            lambda i: (
                services.apply_to_programme(
                    programme=programme, company=company, requested_amount=1000, motivation="x", by=users[i]
                ).status
            ),
            use_db,
        )
        _outcome, count = in_thread(use_db, lambda: Enrolment.objects.filter(company=company).count())
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert all(isinstance(value, AlreadyApplied) for kind, value in results if kind == "error")
    assert count == 1
