"""A payment claim is acknowledged to the company and announced to the region's officers; the
company is told of its certification, rejection and payment, each at most once."""

from decimal import Decimal

import pytest
from django.core import mail

from portal.models import InboxMessage
from regions.models import ClaimTransition
from regions.tasks import send_claim_email
from tests.regions.factories import EnrolmentFactory, an_officer, claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded():
    return EnrolmentFactory(status="in_progress", committed=Decimal("8000"), programme__name="Industrie 4.0 Bretagne")


def _received_by(address):
    return [message for message in mail.outbox if message.to == [address]]


def _owner(enrolment):
    return enrolment.company.memberships.get(role="owner").user


def test_the_company_gets_a_receipt_and_the_officers_an_alert(funded, django_capture_on_commit_callbacks):
    officer = an_officer(funded.programme.region)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim(funded, Decimal("2500"), officer=officer)
    [receipt] = _received_by(_owner(funded).email)
    assert receipt.subject == "Votre demande de paiement au programme Industrie 4.0 Bretagne est bien reçue"
    assert "2\u00a0500 EUR" in receipt.body
    [alert] = _received_by(officer.email)
    assert alert.subject == f"Nouvelle demande de paiement de {funded.company.name} au programme Industrie 4.0 Bretagne"


def test_the_company_is_told_of_the_certification_then_the_payment(funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(funded, Decimal("3000"), status="paid", certified=Decimal("2800"))
    subjects = [message.subject for message in _received_by(_owner(funded).email)]
    assert subjects == [
        "Votre demande de paiement au programme Industrie 4.0 Bretagne est bien reçue",
        "Votre demande de paiement au programme Industrie 4.0 Bretagne est certifiée",
        "Votre demande de paiement au programme Industrie 4.0 Bretagne est payée",
    ]
    paid = _received_by(_owner(funded).email)[-1]
    assert f"VIR-{made.pk}" in paid.body and "2\u00a0800 EUR" in paid.body


def test_the_reason_of_a_rejection_reaches_the_company(funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim(funded, status="rejected")
    rejection = _received_by(_owner(funded).email)[-1]
    assert "Facture illisible." in rejection.body


def test_a_step_is_told_once_even_when_the_task_runs_twice(funded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = claim(funded)
    step = ClaimTransition.objects.get(claim=made, to_status="submitted")
    before = (len(mail.outbox), InboxMessage.objects.count())
    assert send_claim_email(step.pk) == 0
    assert (len(mail.outbox), InboxMessage.objects.count()) == before
