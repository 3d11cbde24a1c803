"""The regions app on the portal's audit trail: every change to a programme's budget, an enrolment's
state or money, and every expense booked or cancelled writes exactly one entry, in the same
transaction, carrying the programme's region."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from portal.audit import verify
from portal.models import AuditEntry
from regions import services
from regions.exceptions import BudgetBelowCommitted, BudgetExhausted
from regions.models import Enrolment, Programme
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer, book

pytestmark = pytest.mark.django_db


def entries_of(subject):
    return list(
        AuditEntry.objects.filter(
            subject_app="regions", subject_model=subject._meta.model_name, subject_pk=str(subject.pk)
        ).order_by("seq")
    )


def new_entries(since):
    return list(AuditEntry.objects.filter(seq__gt=since).order_by("seq"))


def last_seq():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def programme():
    return ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("10000"))


@pytest.fixture
def officer(programme):
    return an_officer(programme.region)


def test_creating_a_programme_writes_one_entry_with_its_budget(officer):
    since = last_seq()
    programme = ProgrammeFactory(budget=Decimal("50000"), by=officer)
    [entry] = new_entries(since)
    assert (entry.action, entry.by, entry.region_id) == ("programme.created", officer, programme.region_id)
    assert entry.before_data is None
    assert entry.after_data["budget"] == "50000.00"


def test_a_budget_change_writes_one_entry_with_before_and_after(programme, officer):
    since = last_seq()
    services.change_budget(programme=programme, budget=Decimal("120000"), by=officer, comment="Rallonge")
    [entry] = new_entries(since)
    assert entry.action == "programme.budget_changed"
    assert entry.before_data == {"budget": "100000.00"}
    assert entry.after_data == {"budget": "120000.00", "comment": "Rallonge"}


def test_a_refused_budget_change_writes_nothing(programme, officer):
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"), officer=officer)
    since = last_seq()
    with pytest.raises(BudgetBelowCommitted):
        services.change_budget(programme=programme, budget=Decimal("1000"), by=officer)
    assert new_entries(since) == []


def test_an_edit_of_budget_and_cap_is_one_entry_listing_what_changed(programme, officer):
    since = last_seq()
    services.update_programme(
        programme=programme, by=officer, budget=Decimal("90000"), cap_per_company=Decimal("9000"), name=programme.name
    )
    [entry] = new_entries(since)
    assert entry.action == "programme.updated"
    year = str(timezone.localdate().year)  # the budget's change goes to this year's tranche
    assert entry.before_data == {"budget": "100000.00", "cap_per_company": "10000.00", "tranches": {year: "100000.00"}}
    assert entry.after_data == {
        "budget": "90000.00",
        "cap_per_company": "9000.00",
        "comment": "",
        "tranches": {year: "90000.00"},
    }


def test_an_edit_that_changes_nothing_writes_nothing(programme, officer):
    since = last_seq()
    services.update_programme(programme=programme, by=officer, budget=programme.budget, name=programme.name)
    assert new_entries(since) == []


def test_opening_and_closing_a_programme_is_audited(programme, officer):
    since = last_seq()
    services.set_programme_status(programme=programme, status=Programme.Status.CLOSED, by=officer)
    [entry] = new_entries(since)
    assert (entry.action, entry.before_data, entry.after_data) == (
        "programme.status_changed",
        {"status": "open"},
        {"status": "closed"},
    )


def test_every_enrolment_transition_writes_exactly_one_entry(programme, officer):
    enrolment = EnrolmentFactory(programme=programme, status="completed", officer=officer)
    assert [entry.action for entry in entries_of(enrolment)] == [
        "enrolment.applied",
        "enrolment.under_review",
        "enrolment.accepted",
        "enrolment.in_progress",
        "enrolment.completed",
    ]
    refused = EnrolmentFactory(programme=programme, status="refused", officer=officer)
    withdrawn = EnrolmentFactory(programme=programme, status="withdrawn", officer=officer)
    assert [entry.action for entry in entries_of(refused)][-1] == "enrolment.refused"
    assert [entry.action for entry in entries_of(withdrawn)] == ["enrolment.applied", "enrolment.withdrawn"]
    assert all(entry.region_id == programme.region_id for entry in AuditEntry.objects.filter(subject_app="regions"))
    assert verify() == []


def test_accepting_records_the_money_committed_before_and_after(programme, officer):
    enrolment = EnrolmentFactory(
        programme=programme, status="under_review", requested_amount=Decimal("7000"), officer=officer
    )
    since = last_seq()
    services.accept_enrolment(enrolment=enrolment, amount=Decimal("7000"), by=officer, comment="OK")
    [entry] = new_entries(since)
    assert entry.action == "enrolment.accepted"
    assert entry.by == officer
    assert entry.before_data == {
        "status": "under_review",
        "committed": "0.00",
        "spent": "0.00",
        "programme_committed": "0.00",
        "programme_spent": "0.00",
    }
    assert entry.after_data == {
        "status": "accepted",
        "committed": "7000.00",
        "spent": "0.00",
        "programme_committed": "7000.00",
        "programme_spent": "0.00",
        "comment": "OK",
    }


def test_a_refused_acceptance_writes_nothing(officer):
    programme = ProgrammeFactory(budget=Decimal("5000"), cap_per_company=Decimal("10000"))
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("6000"))
    since = last_seq()
    with pytest.raises(BudgetExhausted):
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("6000"), by=officer)
    assert new_entries(since) == []


def test_withdrawing_records_the_commitment_released(programme, officer):
    enrolment = EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"), officer=officer)
    book(enrolment, Decimal("1000"), by=officer)
    since = last_seq()
    services.withdraw_enrolment(enrolment=enrolment, by=officer)
    [entry] = new_entries(since)
    assert (entry.before_data["programme_committed"], entry.after_data["programme_committed"]) == (
        "8000.00",
        "1000.00",
    )
    assert (entry.before_data["committed"], entry.after_data["committed"]) == ("8000.00", "1000.00")


def test_booking_and_cancelling_an_expense_write_one_entry_each(programme, officer):
    enrolment = EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"), officer=officer)
    since = last_seq()
    expense = book(enrolment, Decimal("1200.50"), by=officer, label="Formation")
    [booked] = new_entries(since)
    assert (booked.action, booked.subject, booked.by) == ("expense.booked", f"regions.expense:{expense.pk}", officer)
    assert booked.before_data == {"enrolment_spent": "0.00", "programme_spent": "0.00"}
    assert booked.after_data["amount"] == "1200.50"
    assert booked.after_data["programme_spent"] == "1200.50"
    since = booked.seq
    services.cancel_expense(expense=expense, by=officer, reason="Doublon")
    [cancelled] = new_entries(since)
    assert cancelled.action == "expense.cancelled"
    assert cancelled.after_data["programme_spent"] == "0.00"
    assert cancelled.after_data["reason"] == "Doublon"


def test_every_money_change_of_the_ledger_has_an_audit_entry(programme, officer):
    enrolment = EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("6000"), officer=officer)
    expense = book(enrolment, Decimal("500"), by=officer)
    services.complete_enrolment(enrolment=enrolment, by=officer)
    services.cancel_expense(expense=expense, by=officer, reason="Erreur")  # cancels and releases: one change
    money_actions = {
        "programme.created",
        "enrolment.accepted",
        "expense.booked",
        "enrolment.completed",
        "expense.cancelled",
    }
    actions = list(AuditEntry.objects.filter(action__in=money_actions).order_by("seq").values_list("action", flat=True))
    assert actions == [
        "programme.created",
        "enrolment.accepted",
        "expense.booked",
        "enrolment.completed",
        "expense.cancelled",
    ]
    assert programme.ledger.count() == 6  # budget, commit, expense, release, cancellation, release


def test_a_status_changed_in_sql_is_reported(programme, officer, capsys):
    enrolment = EnrolmentFactory(programme=programme, status="under_review", officer=officer)
    call_command("verify_audit")
    Enrolment.objects.filter(pk=enrolment.pk).update(status="accepted")
    Programme.objects.filter(pk=programme.pk).update(budget=Decimal("999999"))
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert f"regions.enrolment:{enrolment.pk}: the enrolment's status differs" in err
    assert f"regions.programme:{programme.pk}: the programme's budget differs" in err


def test_an_audited_decision_edited_in_sql_is_the_first_broken_link(programme, officer, capsys):
    enrolment = EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"), officer=officer)
    accepted = AuditEntry.objects.get(action="enrolment.accepted", subject_pk=str(enrolment.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET after = replace(after, '8000.00', '800.00') WHERE id = %s",
            [accepted.pk],
        )
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"First broken link: #{accepted.seq}: was changed after it was written" in capsys.readouterr().err


def test_a_committed_amount_changed_in_sql_is_reported_against_its_audited_value(programme, officer, capsys):
    enrolment = EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"), officer=officer)
    call_command("verify_audit")
    # Within the cap and above what is spent: every constraint of the table still holds.
    Enrolment.objects.filter(pk=enrolment.pk).update(committed_amount=Decimal("9000"))
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert (
        f"regions.enrolment:{enrolment.pk}: the enrolment's committed amount is 9000.00, "
        "its last audited value 8000.00" in err
    )


def test_a_spent_amount_changed_in_sql_is_reported_against_the_last_expense_entry(programme, officer, capsys):
    enrolment = EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("8000"), officer=officer)
    book(enrolment, Decimal("1200"), by=officer)
    call_command("verify_audit")
    Enrolment.objects.filter(pk=enrolment.pk).update(spent_total=Decimal("200"))
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert (
        f"regions.enrolment:{enrolment.pk}: the enrolment's spent amount is 200.00, its last audited value 1200.00"
        in err
    )
