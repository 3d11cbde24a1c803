"""Concurrent accepts on PostgreSQL: the expert row lock keeps the capacity, the state re-check keeps one decision.

SQLite has no row locks: its IMMEDIATE transactions serialise writers, so these races cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections

from experts import services
from experts.exceptions import CapacityReached, IllegalTransition
from experts.models import Assignment, AssignmentTransition
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (select_for_update); runs in CI's PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*actions):
    """Run the actions in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_concurrent_accepts_with_one_free_place_exactly_one_succeeds():
    expert = ReferencedExpertFactory(capacity=1)
    first, second = AssignmentFactory(expert=expert), AssignmentFactory(expert=expert)

    outcomes = race(
        lambda: services.accept_assignment(assignment=first, by=expert.user, notify=False),
        lambda: services.accept_assignment(assignment=second, by=expert.user, notify=False),
    )

    accepted = [outcome for outcome in outcomes if isinstance(outcome, Assignment)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, CapacityReached)]
    assert (len(accepted), len(refused)) == (1, 1), outcomes
    assert Assignment.objects.filter(expert=expert, status=Assignment.Status.ACCEPTED).count() == 1


def test_two_concurrent_accepts_of_the_same_proposal_record_one_decision():
    expert = ReferencedExpertFactory(capacity=3)
    assignment = AssignmentFactory(expert=expert)

    outcomes = race(
        lambda: services.accept_assignment(assignment=assignment, by=expert.user, notify=False),
        lambda: services.accept_assignment(assignment=assignment, by=expert.user, notify=False),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Assignment", IllegalTransition.__name__]
    assert AssignmentTransition.objects.filter(assignment=assignment, to_status="accepted").count() == 1
