"""Side effects of the regions app with the broker down: the decision or the visit is recorded, the
e-mail or the booking is left for beat's sweep, which does it once (portal.background)."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from experts import services as experts_services
from portal import background
from regions import services
from regions.models import EnrolmentTransition, Expense
from regions.tasks import book_visit_cost, send_transition_email
from tests.experts.factories import ReferencedExpertFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db


def broker_down(task):
    return mock.patch.object(task, "apply_async", side_effect=OperationalError("Connection refused"))


def later():
    """Beat's sweep after the grace period: what the lost messages left undone is redone."""
    return background.sweep(now=timezone.now() + background.SWEEP_GRACE + timedelta(seconds=1))


def test_a_decision_is_taken_while_the_broker_is_down_and_told_by_the_sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(status="under_review")
    mail.outbox.clear()  # the application's receipt
    with broker_down(send_transition_email), django_capture_on_commit_callbacks(execute=True):
        services.refuse_enrolment(enrolment=enrolment, reason="Hors périmètre du programme.", by=an_officer())
    refused = EnrolmentTransition.objects.get(enrolment=enrolment, to_status="refused")
    assert refused.notified_at is None and mail.outbox == []

    assert later()["regions.decision_emails"] == 1
    assert len(mail.outbox) == 1 and "Hors périmètre du programme." in mail.outbox[0].body
    refused.refresh_from_db()
    assert refused.notified_at is not None
    assert later()["regions.decision_emails"] == 0  # told once


def test_a_step_nobody_is_told_of_is_never_swept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(status="applied")
    mail.outbox.clear()  # the application's receipt
    with broker_down(send_transition_email), django_capture_on_commit_callbacks(execute=True):
        services.start_review(enrolment=enrolment, by=an_officer())
    assert later()["regions.decision_emails"] == 0
    assert mail.outbox == []


def test_an_application_made_while_the_broker_is_down_is_acknowledged_by_the_sweep(django_capture_on_commit_callbacks):
    with broker_down(send_transition_email), django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(status="applied")
    assert mail.outbox == []
    assert later()["regions.decision_emails"] == 1
    owner = enrolment.company.memberships.get(role="owner").user
    assert [message.to for message in mail.outbox if "reçue" in message.subject] == [[owner.email]]


def test_each_member_gets_their_own_email_of_a_decision(django_capture_on_commit_callbacks):
    from tests.portal.factories import MembershipFactory

    enrolment = EnrolmentFactory(status="under_review")
    colleague = MembershipFactory(company=enrolment.company).user
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("4000"), by=an_officer())
    owner = enrolment.company.memberships.get(role="owner").user
    assert sorted(message.to for message in mail.outbox) == sorted([[owner.email], [colleague.email]])


@pytest.fixture
def visit_logged_while_the_broker_is_down(company, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("20000"))
    enrolment = EnrolmentFactory(programme=programme, company=company, status="accepted", committed=Decimal("5000"))
    expert = ReferencedExpertFactory(day_rate=Decimal("800.00"), regions=["53"], capacity=2)
    assignment = services.propose_expert(enrolment=enrolment, expert=expert, by=an_officer())
    experts_services.accept_assignment(assignment=assignment, by=expert.user)
    with broker_down(book_visit_cost), django_capture_on_commit_callbacks(execute=True):
        visit = experts_services.log_visit(
            assignment=assignment, by=expert.user, date=timezone.localdate(), days=Decimal("1"), summary="Audit."
        )
    return visit


def test_a_visit_logged_while_the_broker_is_down_is_booked_by_the_sweep(visit_logged_while_the_broker_is_down):
    visit = visit_logged_while_the_broker_is_down
    assert not Expense.objects.exists()
    assert later()["regions.visit_costs"] == 1
    expense = Expense.objects.get()
    assert (expense.source_reference, expense.amount) == (f"visit:{visit.pk}", Decimal("800.00"))
    assert later()["regions.visit_costs"] == 0  # booked once


def test_the_sweep_leaves_visits_alone_during_the_grace_period(visit_logged_while_the_broker_is_down):
    assert background.sweep()["regions.visit_costs"] == 0
    assert not Expense.objects.exists()


def test_an_outbox_sweeper_picks_the_rows_not_told_within_the_window():
    enrolment = EnrolmentFactory()
    now = timezone.now()
    made = []
    for status, at, notified in [
        ("accepted", now - timedelta(hours=1), now),  # told
        ("refused", now - timedelta(hours=1), None),  # not told: swept
        ("in_progress", now - timedelta(days=3), None),  # before the window
        ("completed", now - timedelta(minutes=1), None),  # its own task may be on its way
    ]:
        made.append(EnrolmentTransition.objects.create(enrolment=enrolment, to_status=status, notified_at=notified))
        EnrolmentTransition.objects.filter(pk=made[-1].pk).update(at=at)
    with mock.patch.object(send_transition_email, "apply_async") as apply_async:
        sweeper = background.outbox_sweeper(EnrolmentTransition.objects.all(), send_transition_email)
        assert sweeper(now - background.SWEEP_WINDOW, now - background.SWEEP_GRACE) == 1
    assert [call.args[0] for call in apply_async.call_args_list] == [(made[1].pk,)]
