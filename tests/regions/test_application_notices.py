"""An application is acknowledged to the company and announced to the region's officers."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import InboxMessage
from regions.models import EnrolmentTransition
from regions.tasks import send_transition_email
from tests.portal.factories import MembershipFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db


def _apply(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return EnrolmentFactory(**kwargs)


def _received_by(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_each_member_gets_a_receipt_of_the_application(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Industrie 4.0 Bretagne")
    enrolment = _apply(django_capture_on_commit_callbacks, programme=programme)
    colleague = MembershipFactory(company=enrolment.company).user
    mail.outbox.clear()
    transition = EnrolmentTransition.objects.get(enrolment=enrolment, to_status="applied")
    EnrolmentTransition.objects.filter(pk=transition.pk).update(notified_at=None)
    send_transition_email(transition.pk)
    owner = enrolment.company.memberships.get(role="owner").user
    for member in (owner, colleague):
        [receipt] = _received_by(member.email)
        assert receipt.subject == "Votre candidature au programme Industrie 4.0 Bretagne est bien reçue"
        assert "5\u00a0000 EUR" in receipt.body


def test_the_regions_officers_are_alerted_of_a_new_application(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Industrie 4.0 Bretagne")
    officer = an_officer(programme.region)
    enrolment = _apply(django_capture_on_commit_callbacks, programme=programme, officer=officer)
    [alert] = _received_by(officer.email)
    assert alert.subject == f"Nouvelle candidature de {enrolment.company.name} au programme Industrie 4.0 Bretagne"
    assert reverse("regions:enrolment_detail", args=[enrolment.pk]) in alert.body


def test_an_officer_reads_the_alert_in_their_own_language(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(name="Industry 4.0")
    officer = an_officer(programme.region)
    officer.preferred_language = "en"
    officer.save(update_fields=["preferred_language"])
    enrolment = _apply(django_capture_on_commit_callbacks, programme=programme, officer=officer)
    [alert] = _received_by(officer.email)
    assert alert.subject == f"New application from {enrolment.company.name} to Industry 4.0"


def test_officers_of_another_region_are_not_alerted(django_capture_on_commit_callbacks):
    from portal.models import Region
    from tests.portal.factories import RegionOfficerFactory

    elsewhere = RegionOfficerFactory(region=Region.objects.get(code="84")).user
    _apply(django_capture_on_commit_callbacks, programme=ProgrammeFactory())
    assert _received_by(elsewhere.email) == []


def test_the_receipt_lands_in_the_members_inbox(django_capture_on_commit_callbacks):
    enrolment = _apply(django_capture_on_commit_callbacks, programme=ProgrammeFactory(name="Cap Industrie"))
    owner = enrolment.company.memberships.get(role="owner").user
    message = InboxMessage.objects.get(recipient=owner)
    assert message.subject["fr"] == "Votre candidature au programme Cap Industrie est bien reçue"
    assert message.subject["en"] == "Your application to Cap Industrie is received"


def test_a_second_delivery_of_the_receipt_sends_nothing(django_capture_on_commit_callbacks):
    enrolment = _apply(django_capture_on_commit_callbacks, programme=ProgrammeFactory())
    sent = len(mail.outbox)
    transition = EnrolmentTransition.objects.get(enrolment=enrolment, to_status="applied")
    assert send_transition_email(transition.pk) == 0
    assert len(mail.outbox) == sent


def test_an_inactive_officer_is_not_alerted(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory()
    officer = an_officer(programme.region)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    _apply(django_capture_on_commit_callbacks, programme=programme)
    assert _received_by(officer.email) == []


def test_officers_are_told_when_a_sent_back_application_comes_again(django_capture_on_commit_callbacks):
    from regions import services

    programme = ProgrammeFactory(name="Cap Industrie")
    officer = an_officer(programme.region)
    enrolment = _apply(django_capture_on_commit_callbacks, programme=programme, status="sent_back", officer=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resubmit_enrolment(
            enrolment=enrolment, by=enrolment.applied_by, requested_amount=Decimal("5000"), motivation="Devis joint."
        )
    [alert] = _received_by(officer.email)
    assert (
        alert.subject
        == f"Candidature de {enrolment.company.name} au programme Cap Industrie renvoyée après modifications"
    )
