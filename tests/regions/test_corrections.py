"""Sent back for changes: the officer asks for changes with a message, the company is told by e-mail,
changes its application and sends it again; the cycle keeps one decision per application."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import AuditEntry
from regions import services
from regions.exceptions import AlreadyDecided, IllegalTransition, InvalidInput
from regions.models import EnrolmentTransition
from tests.regions.factories import EnrolmentFactory, an_officer

pytestmark = pytest.mark.django_db


def test_sending_back_needs_a_message():
    enrolment = EnrolmentFactory()
    with pytest.raises(InvalidInput):
        services.send_back_enrolment(enrolment=enrolment, message="  ", by=an_officer())
    assert enrolment.transitions.count() == 1


def test_the_company_is_told_what_to_change_once_the_decision_is_committed(django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back_enrolment(enrolment=enrolment, message="Joindre le devis signé.", by=an_officer())
    [message] = mail.outbox
    assert enrolment.programme.name in message.subject
    assert "Joindre le devis signé." in message.body


def test_the_company_sends_its_changed_application_again():
    enrolment = EnrolmentFactory(status="sent_back", requested_amount=Decimal("5000"))
    owner = enrolment.applied_by
    again = services.resubmit_enrolment(
        enrolment=enrolment,
        by=owner,
        requested_amount="4000",
        eligible_cost="8000",
        declared_outside_aid="1200",
        motivation="Avec le devis.",
    )
    again.refresh_from_db()
    assert (again.status, again.requested_amount, again.eligible_cost, again.declared_outside_aid) == (
        "applied",
        Decimal("4000"),
        Decimal("8000"),
        Decimal("1200"),
    )
    steps = list(again.transitions.values_list("from_status", "to_status"))
    assert steps == [("", "applied"), ("applied", "sent_back"), ("sent_back", "applied")]
    actions = list(
        AuditEntry.objects.filter(subject_model="enrolment", subject_pk=str(again.pk)).values_list("action", flat=True)
    )
    assert actions == ["enrolment.applied", "enrolment.sent_back", "enrolment.applied"]


def test_an_application_goes_round_the_cycle_twice_and_is_then_decided_once():
    enrolment = EnrolmentFactory()
    officer = an_officer(enrolment.programme.region)
    for _round in range(2):
        services.send_back_enrolment(enrolment=enrolment, message="Compléter.", by=officer)
        services.resubmit_enrolment(
            enrolment=enrolment, by=enrolment.applied_by, requested_amount="5000", motivation="Complété."
        )
    services.start_review(enrolment=enrolment, by=officer)
    services.accept_enrolment(enrolment=enrolment, amount=Decimal("5000"), by=officer)
    with pytest.raises(AlreadyDecided):
        services.refuse_enrolment(enrolment=enrolment, reason="Non.", by=officer)
    assert enrolment.transitions.filter(to_status="applied").count() == 3
    assert enrolment.transitions.filter(to_status__in=["accepted", "refused"]).count() == 1


def test_the_database_refuses_a_second_decision_row_but_not_a_second_request_for_changes():
    enrolment = EnrolmentFactory(status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentTransition.objects.create(enrolment=enrolment, from_status="under_review", to_status="accepted")
    EnrolmentTransition.objects.create(enrolment=enrolment, from_status="applied", to_status="sent_back")
    EnrolmentTransition.objects.create(enrolment=enrolment, from_status="applied", to_status="sent_back")


def test_an_accepted_application_cannot_be_sent_back():
    enrolment = EnrolmentFactory(status="accepted")
    with pytest.raises(IllegalTransition):
        services.send_back_enrolment(enrolment=enrolment, message="Trop tard.", by=an_officer())


def test_an_application_sent_back_cannot_be_accepted_before_it_is_sent_again():
    enrolment = EnrolmentFactory(status="sent_back")
    with pytest.raises(IllegalTransition):
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("1000"), by=an_officer())


def test_the_company_sees_the_message_and_the_form_to_send_again(client, english):
    enrolment = EnrolmentFactory(status="sent_back")
    client.force_login(enrolment.applied_by)
    response = client.get(reverse("regions:enrolment_detail", args=[enrolment.pk]))
    content = response.content.decode()
    assert "Joindre un devis." in content
    assert reverse("regions:enrolment_action", args=[enrolment.pk, "resubmit"]) in content
    assert reverse("regions:document_add", args=[enrolment.pk]) in content


def test_the_officer_sends_back_through_the_page(client, english):
    enrolment = EnrolmentFactory()
    officer = an_officer(enrolment.programme.region)
    client.force_login(officer)
    url = reverse("regions:enrolment_action", args=[enrolment.pk, "send_back"])
    assert client.post(url, {"message": ""}).status_code == 400
    response = client.post(url, {"message": "Joindre le Kbis."})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "sent_back"


def test_the_company_sends_again_through_the_page_with_localised_amounts(client, french):
    enrolment = EnrolmentFactory(status="sent_back")
    client.force_login(enrolment.applied_by)
    url = reverse("regions:enrolment_action", args=[enrolment.pk, "resubmit"])
    data = {"requested_amount": "4 500,50", "eligible_cost": "9 001", "declared_outside_aid": "", "motivation": "Ok"}
    assert client.post(url, data).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.requested_amount, enrolment.eligible_cost) == (
        "applied",
        Decimal("4500.50"),
        Decimal("9001"),
    )


def test_the_audit_trail_and_the_budgets_verify_after_corrections_documents_and_a_decision():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    enrolment = EnrolmentFactory()
    officer = an_officer(enrolment.programme.region)
    services.send_back_enrolment(enrolment=enrolment, message="Joindre le Kbis.", by=officer)
    upload = SimpleUploadedFile("kbis.pdf", b"%PDF-1.4\n%%EOF\n")
    services.add_document(enrolment=enrolment, kind="registration", upload=upload, by=enrolment.applied_by)
    services.resubmit_enrolment(enrolment=enrolment, by=enrolment.applied_by, requested_amount="5000", motivation="Ok")
    services.start_review(enrolment=enrolment, by=officer)
    services.accept_enrolment(enrolment=enrolment, amount=Decimal("5000"), by=officer)
    call_command("verify_audit")
    call_command("reconcile_budgets")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"enrolment.sent_back", "enrolment.document_added", "enrolment.applied", "enrolment.accepted"} <= actions
