"""A programme's openings and closings (the table, its history, the history rebuilt from the audit
trail by the migration that added it), and what the enrolment table says about e-mails."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from regions import services
from regions.exceptions import IllegalTransition
from regions.models import EnrolmentTransition, Programme, ProgrammeTransition
from regions.services.notifications import NOTIFIED
from regions.workflows import ENROLMENT
from tests.portal.factories import UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

S = Programme.Status
pytestmark = pytest.mark.django_db


def history(programme):
    return list(ProgrammeTransition.objects.filter(programme=programme).values_list("from_status", "to_status", "by"))


def test_a_programme_closed_can_open_again_and_each_step_is_recorded():
    officer = an_officer()
    programme = ProgrammeFactory(status=S.DRAFT, by=officer)
    for status in [S.OPEN, S.CLOSED, S.OPEN]:
        services.set_programme_status(programme=programme, status=status, by=officer)
    assert history(programme) == [
        ("", "draft", officer.pk),
        ("draft", "open", officer.pk),
        ("open", "closed", officer.pk),
        ("closed", "open", officer.pk),
    ]


def test_a_draft_cannot_be_closed_and_nothing_is_recorded(english):
    programme = ProgrammeFactory(status=S.DRAFT)
    with pytest.raises(IllegalTransition) as error:
        services.set_programme_status(programme=programme, status=S.CLOSED, by=an_officer())
    assert str(error.value) == "A programme that is draft cannot become closed."
    assert Programme.objects.get(pk=programme.pk).status == S.DRAFT
    assert history(programme) == [("", "draft", None)]


@pytest.mark.parametrize(
    ("status", "buttons"),
    [(S.DRAFT, ["open"]), (S.OPEN, ["closed", "settled"]), (S.CLOSED, ["open", "settled"])],
)
def test_the_programme_page_offers_the_tables_next_statuses(client, status, buttons):
    programme = ProgrammeFactory(status=status)
    client.force_login(an_officer(programme.region))
    page = client.get(reverse("regions:programme_detail", args=[programme.pk]))
    assert [action.target for action in page.context["actions"]] == buttons


def test_the_migration_rebuilds_the_history_from_the_audit_trail():
    officer, staff = an_officer(), UserFactory(is_staff=True)
    programme = ProgrammeFactory(status=S.DRAFT, by=staff)
    services.set_programme_status(programme=programme, status=S.OPEN, by=officer)
    services.set_programme_status(programme=programme, status=S.CLOSED, by=staff)
    recorded = history(programme)
    ProgrammeTransition.objects.all().delete()
    migration = importlib.import_module("regions.migrations.0007_programme_transitions")
    migration.history_from_the_audit_trail(apps, None)
    assert (
        history(programme)
        == recorded
        == [
            ("", "draft", staff.pk),
            ("draft", "open", officer.pk),
            ("open", "closed", staff.pk),
        ]
    )


def test_the_enrolment_moves_that_notify_are_those_the_company_has_an_email_for():
    notified = {move.target for move in ENROLMENT.moves if move.notify}
    assert notified == NOTIFIED == {"applied", "sent_back", "accepted", "refused", "in_progress", "completed"}


def test_a_move_nobody_is_told_of_is_not_left_to_the_outbox():
    enrolment = EnrolmentFactory(status="under_review")
    rows = dict(EnrolmentTransition.objects.filter(enrolment=enrolment).values_list("to_status", "notified_at"))
    assert rows["under_review"] is not None
    assert rows["applied"] is None  # the receipt and the officers' alert: left to the outbox until sent


def test_the_page_of_a_programme_closed_for_good_offers_no_move_but_its_statement(client):
    programme = ProgrammeFactory(status=S.OPEN)
    officer = an_officer(programme.region)
    services.settle_programme(programme=programme, by=officer)
    client.force_login(officer)
    page = client.get(reverse("regions:programme_detail", args=[programme.pk]))
    assert page.context["actions"] == []
    assert reverse("regions:closing_statement", args=[programme.pk]) in page.content.decode()


def test_a_programme_cannot_be_created_closed_for_good(english):
    with pytest.raises(IllegalTransition) as error:
        ProgrammeFactory(status=S.SETTLED)
    assert str(error.value) == "A programme that is none cannot become closed and settled."
