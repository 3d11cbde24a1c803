"""The regions services: programmes, the enrolment workflow, the money rules, the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from regions import services
from regions.exceptions import (
    AlreadyApplied,
    AlreadyDecided,
    BudgetBelowCommitted,
    BudgetExhausted,
    CommitmentExceeded,
    ExpenseAlreadyBooked,
    ExpenseNotAllowed,
    IllegalTransition,
    InvalidAmount,
    InvalidInput,
    NotEligible,
)
from regions.models import Enrolment, EnrolmentTransition, Expense, LedgerEntry, Programme
from regions.workflows import ENROLMENT
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory, an_officer, book

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def assert_reconciled(programme=None):
    report = services.reconcile(programme)
    assert report.ok, report.problems


# --- programmes -------------------------------------------------------------------------------


def test_create_programme_writes_the_budget_as_first_ledger_entry(officer):
    programme = ProgrammeFactory(budget=Decimal("250000"), by=officer)
    entry = LedgerEntry.objects.get(programme=programme)
    assert (entry.seq, entry.kind, entry.amount, entry.budget_after) == (
        1,
        "budget",
        Decimal("250000"),
        Decimal("250000"),
    )
    assert entry.prev_hash == "" and entry.hash == entry.compute_hash()
    assert programme.status == Programme.Status.OPEN
    assert_reconciled(programme)


def test_create_programme_refuses_bad_input_and_writes_nothing(officer):
    today = timezone.localdate()
    region = officer.officer_posts.get().region
    common = {
        "region": region,
        "by": officer,
        "name": "P",
        "start_date": today,
        "end_date": today,
        "target_companies": 3,
    }
    with pytest.raises(InvalidAmount):
        services.create_programme(budget="-1", cap_per_company=Decimal("10"), **common)
    with pytest.raises(InvalidAmount):
        services.create_programme(budget="100", cap_per_company=Decimal("0"), **common)
    with pytest.raises(InvalidInput):
        services.create_programme(
            budget="100", cap_per_company=Decimal("10"), **{**common, "end_date": today - timedelta(days=1)}
        )
    with pytest.raises(InvalidInput):
        services.create_programme(
            budget="100", cap_per_company=Decimal("10"), eligible_headcount_bands=["12"], **common
        )
    with pytest.raises(InvalidInput):
        services.create_programme(budget="100", cap_per_company=Decimal("10"), max_overall_level=Decimal("6"), **common)
    assert not Programme.objects.exists() and not LedgerEntry.objects.exists()


def test_programme_status_table(officer):
    programme = ProgrammeFactory(status="draft")
    with pytest.raises(IllegalTransition):
        services.set_programme_status(programme=programme, status="closed", by=officer)
    programme = services.set_programme_status(programme=programme, status="open", by=officer)
    programme = services.set_programme_status(programme=programme, status="closed", by=officer)
    programme = services.set_programme_status(programme=programme, status="open", by=officer)
    assert programme.status == "open"


def test_change_budget_never_below_committed(officer, english):
    programme = ProgrammeFactory(budget=Decimal("20000"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("8000"))
    with pytest.raises(BudgetBelowCommitted) as error:
        services.change_budget(programme=programme, budget=Decimal("7999.99"), by=officer)
    assert "8,000 EUR committed, 7,999.99 EUR asked" in str(error.value)
    programme = services.change_budget(programme=programme, budget=Decimal("8000"), by=officer)
    assert programme.budget == Decimal("8000") and programme.remaining == 0
    assert list(programme.ledger.values_list("kind", flat=True)) == ["budget", "commit", "budget"]
    assert_reconciled(programme)


def test_update_programme_changes_eligibility_and_budget_together(officer):
    programme = ProgrammeFactory()
    programme = services.update_programme(
        programme=programme,
        by=officer,
        budget=Decimal("120000"),
        name="Nouveau nom",
        eligible_headcount_bands=["10-49", "50-249"],
        eligible_naf_codes=[],
    )
    programme.refresh_from_db()
    assert (programme.name, programme.budget, programme.eligible_headcount_bands) == (
        "Nouveau nom",
        Decimal("120000"),
        ["10-49", "50-249"],
    )
    assert_reconciled(programme)


def test_update_programme_with_a_bad_period_changes_nothing(officer):
    programme = ProgrammeFactory(budget=Decimal("1000"))
    with pytest.raises(InvalidInput):
        services.update_programme(
            programme=programme, by=officer, budget=Decimal("5000"), end_date=programme.start_date - timedelta(days=1)
        )
    programme.refresh_from_db()
    assert programme.budget == Decimal("1000")


# --- eligibility and applications ---------------------------------------------------------------


def apply(programme, company, amount=Decimal("5000"), **kwargs):
    user = company.memberships.first().user
    return services.apply_to_programme(
        programme=programme, company=company, requested_amount=amount, motivation="Robotiser.", by=user, **kwargs
    )


@pytest.mark.parametrize(
    ("programme_fields", "reason"),
    [
        ({"status": "draft"}, "This programme is not open to applications."),
        ({"status": "closed"}, "This programme is not open to applications."),
        ({"start_date": timezone.localdate() + timedelta(days=3)}, "Applications open on"),
        (
            {
                "start_date": timezone.localdate() - timedelta(days=30),
                "end_date": timezone.localdate() - timedelta(days=1),
            },
            "The programme ended on",
        ),
        (
            {"eligible_headcount_bands": ["50-249"]},
            "Reserved for companies of 50 to 249 employees; yours: 10 to 49 employees.",
        ),
        ({"eligible_naf_codes": ["10"]}, "Reserved for the sectors (NAF) 10; your company's division is 25."),
        ({"requires_submitted_diagnostic": True}, "A submitted self-diagnostic is required."),
        ({"max_overall_level": Decimal("2.5")}, "A submitted self-diagnostic is needed to check the maturity level."),
    ],
)
def test_ineligible_companies_get_the_reason_and_nothing_is_written(company, english, programme_fields, reason):
    programme = ProgrammeFactory(**programme_fields)
    with pytest.raises(NotEligible) as error:
        apply(programme, company)
    assert any(r.startswith(reason) for r in error.value.reasons), error.value.reasons
    assert not Enrolment.objects.exists()


def test_naf_section_or_division_makes_a_company_eligible(company):
    assert apply(ProgrammeFactory(eligible_naf_codes=["C"]), company).status == S.APPLIED
    assert apply(ProgrammeFactory(eligible_naf_codes=["25", "10"]), company).status == S.APPLIED


def test_other_region_company_is_not_eligible(english):
    programme = ProgrammeFactory()
    other = OwnerFactory(
        company__region=__import__("portal.models", fromlist=["Region"]).Region.objects.get(code="11")
    ).company
    with pytest.raises(NotEligible) as error:
        apply(programme, other)
    assert error.value.reasons == ["This programme is for companies located in its region."]


def test_maximum_level_uses_the_latest_submitted_diagnostic(company, english):
    programme = ProgrammeFactory(max_overall_level=Decimal("2.50"), requires_submitted_diagnostic=True)
    SubmittedDiagnosticFactory(company=company, overall_score=Decimal("3.10"))
    with pytest.raises(NotEligible) as error:
        apply(programme, company)
    assert error.value.reasons == [
        "Reserved for companies with an overall maturity of at most 2.50; your latest diagnostic scores 3.10."
    ]
    latest = SubmittedDiagnosticFactory(company=company, overall_score=Decimal("2.50"))
    enrolment = apply(programme, company)
    assert enrolment.diagnostic == latest


def test_one_live_application_per_company_and_programme(company, english):
    programme = ProgrammeFactory()
    first = apply(programme, company)
    with pytest.raises(AlreadyApplied):
        apply(programme, company)
    services.withdraw_enrolment(enrolment=first, by=company.memberships.first().user)
    assert apply(programme, company).status == S.APPLIED


def test_the_database_backs_one_live_application(company):
    programme = ProgrammeFactory()
    first = apply(programme, company)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            programme=programme,
            company=company,
            requested_amount=1,
            motivation="x",
            cap_amount=first.cap_amount,
            applied_by=first.applied_by,
        )


@pytest.mark.parametrize("amount", ["0", "-5", "10000.01", "12.345", "abc", None])
def test_requested_amount_must_be_positive_and_within_the_cap(company, amount):
    with pytest.raises(InvalidAmount):
        apply(ProgrammeFactory(cap_per_company=Decimal("10000")), company, amount=amount)


def test_application_needs_a_motivation_and_the_companys_own_diagnostic(company, other_company_member):
    programme = ProgrammeFactory()
    with pytest.raises(InvalidInput):
        services.apply_to_programme(
            programme=programme,
            company=company,
            requested_amount=1,
            motivation="  ",
            by=company.memberships.first().user,
        )
    foreign = SubmittedDiagnosticFactory(company=other_company_member.memberships.get().company)
    with pytest.raises(InvalidInput):
        apply(programme, company, diagnostic=foreign)
    assert not Enrolment.objects.exists()


def test_application_records_the_first_transition(company):
    enrolment = apply(ProgrammeFactory(), company)
    transition = enrolment.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == ("", "applied", enrolment.applied_by)


# --- the workflow -------------------------------------------------------------------------------

ACTIONS = {
    "review": lambda e, u: services.start_review(enrolment=e, by=u),
    "send_back": lambda e, u: services.send_back_enrolment(enrolment=e, message="Joindre le Kbis.", by=u),
    "resubmit": lambda e, u: services.resubmit_enrolment(
        enrolment=e, by=u, requested_amount=e.requested_amount, motivation="Corrigée."
    ),
    "accept": lambda e, u: services.accept_enrolment(enrolment=e, amount=Decimal("1000"), by=u),
    "refuse": lambda e, u: services.refuse_enrolment(enrolment=e, reason="Non.", by=u),
    "start": lambda e, u: services.start_enrolment(enrolment=e, by=u),
    "complete": lambda e, u: services.complete_enrolment(enrolment=e, by=u),
    "withdraw": lambda e, u: services.withdraw_enrolment(enrolment=e, by=u),
}
TARGET = {
    "review": S.UNDER_REVIEW,
    "send_back": S.SENT_BACK,
    "resubmit": S.APPLIED,
    "accept": S.ACCEPTED,
    "refuse": S.REFUSED,
    "start": S.IN_PROGRESS,
    "complete": S.COMPLETED,
    "withdraw": S.WITHDRAWN,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_follows_the_table(status, action):
    enrolment = EnrolmentFactory(status=status)
    officer = an_officer()
    transitions_before = enrolment.transitions.count()
    legal = ENROLMENT.allows(status, TARGET[action])
    if legal:
        moved = ACTIONS[action](enrolment, officer)
        assert moved.status == TARGET[action]
        assert enrolment.transitions.count() == transitions_before + 1
        last = enrolment.transitions.last()
        assert (last.from_status, last.to_status, last.by) == (status, TARGET[action], officer)
    else:
        with pytest.raises(IllegalTransition):
            ACTIONS[action](enrolment, officer)
        enrolment.refresh_from_db()
        assert enrolment.status == status
        assert enrolment.transitions.count() == transitions_before
    assert_reconciled()


def test_a_decided_application_says_already_decided(english):
    enrolment = EnrolmentFactory(status="accepted")
    with pytest.raises(AlreadyDecided) as error:
        services.refuse_enrolment(enrolment=enrolment, reason="Non.", by=an_officer())
    assert str(error.value) == "This application has already been decided: accepted."
    withdrawn = EnrolmentFactory(status="withdrawn")
    with pytest.raises(AlreadyDecided):
        services.accept_enrolment(enrolment=withdrawn, amount=1, by=an_officer())


def test_refusal_needs_a_reason():
    enrolment = EnrolmentFactory(status="under_review")
    with pytest.raises(InvalidInput):
        services.refuse_enrolment(enrolment=enrolment, reason=" ", by=an_officer())
    enrolment = services.refuse_enrolment(enrolment=enrolment, reason="Projet hors industrie.", by=an_officer())
    assert enrolment.refusal_reason == "Projet hors industrie."


# --- money --------------------------------------------------------------------------------------


def test_accept_commits_the_amount_and_writes_history(django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(budget=Decimal("30000"))
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("7500.50"))
    officer = an_officer()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.accept_enrolment(enrolment=enrolment, amount=Decimal("7500.50"), by=officer, comment="OK")
    programme.refresh_from_db()
    assert (accepted.status, accepted.committed_amount, accepted.decided_by) == (
        S.ACCEPTED,
        Decimal("7500.50"),
        officer,
    )
    assert programme.committed_total == Decimal("7500.50") and programme.remaining == Decimal("22499.50")
    entry = programme.ledger.last()
    assert (entry.kind, entry.amount, entry.committed_after, entry.enrolment) == (
        "commit",
        Decimal("7500.50"),
        Decimal("7500.50"),
        accepted,
    )
    assert len(mail.outbox) == 1 and accepted.company.memberships.first().user.email in mail.outbox[0].to
    assert_reconciled(programme)


def test_accept_above_the_cap_is_refused(english):
    enrolment = EnrolmentFactory(status="under_review", programme=ProgrammeFactory(cap_per_company=Decimal("10000")))
    with pytest.raises(InvalidAmount) as error:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("10000.01"), by=an_officer())
    assert "10,000 EUR" in str(error.value)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Budget exhausted: 12,000 EUR left, 15,000 EUR asked"),
        ("fr", "Budget épuisé : 12\xa0000 EUR restants, 15\xa0000 EUR demandés"),
    ],
)
def test_budget_exhausted_is_a_clear_message_and_writes_nothing(language, message):
    from django.utils import translation

    programme = ProgrammeFactory(budget=Decimal("32000"), cap_per_company=Decimal("20000"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("20000"))
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("15000"))
    ledger_before = LedgerEntry.objects.count()
    with translation.override(language), pytest.raises(BudgetExhausted) as error:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("15000"), by=an_officer())
    assert str(error.value) == message
    assert (error.value.left, error.value.asked) == (Decimal("12000"), Decimal("15000"))
    enrolment.refresh_from_db()
    assert enrolment.status == S.UNDER_REVIEW and enrolment.transitions.count() == 2
    assert LedgerEntry.objects.count() == ledger_before
    assert_reconciled(programme)


def test_completion_and_withdrawal_release_what_was_not_spent():
    programme = ProgrammeFactory(budget=Decimal("20000"))
    done = EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("8000"))
    book(done, Decimal("3000"))
    done = services.complete_enrolment(enrolment=done, by=an_officer())
    gone = EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("6000"))
    book(gone, Decimal("1000.25"))
    gone = services.withdraw_enrolment(enrolment=gone, by=an_officer())
    programme.refresh_from_db()
    assert (done.committed_amount, gone.committed_amount) == (Decimal("3000"), Decimal("1000.25"))
    assert programme.committed_total == Decimal("4000.25") and programme.spent_total == Decimal("4000.25")
    assert_reconciled(programme)


def test_expenses_stay_within_the_commitment(english):
    enrolment = EnrolmentFactory(status="accepted", committed=Decimal("5000"))
    book(enrolment, Decimal("4000"))
    with pytest.raises(CommitmentExceeded) as error:
        book(enrolment, Decimal("1500"))
    assert str(error.value) == "Commitment exceeded: 1,000 EUR left on this enrolment, 1,500 EUR asked"
    book(enrolment, Decimal("1000"))
    enrolment.refresh_from_db()
    assert enrolment.spent_total == enrolment.committed_amount == Decimal("5000")
    assert_reconciled()


@pytest.mark.parametrize("status", ["applied", "under_review", "refused", "completed", "withdrawn"])
def test_expenses_only_on_accepted_or_running_enrolments(status):
    enrolment = EnrolmentFactory(status=status)
    with pytest.raises(ExpenseNotAllowed):
        book(enrolment, Decimal("1"))


def test_a_source_is_booked_once():
    enrolment = EnrolmentFactory(status="in_progress")
    book(enrolment, Decimal("100"), kind="visit", source_reference="visit:7")
    with pytest.raises(ExpenseAlreadyBooked):
        book(enrolment, Decimal("100"), kind="visit", source_reference="visit:7")
    assert Expense.objects.count() == 1
    assert_reconciled()


def test_cancel_expense_gives_the_money_back_once():
    enrolment = EnrolmentFactory(status="in_progress", committed=Decimal("5000"))
    expense = book(enrolment, Decimal("1200"))
    officer = an_officer()
    with pytest.raises(InvalidInput):
        services.cancel_expense(expense=expense, by=officer, reason="")
    services.cancel_expense(expense=expense, by=officer, reason="Saisie en double")
    with pytest.raises(ExpenseNotAllowed):
        services.cancel_expense(expense=expense, by=officer, reason="Encore")
    enrolment.refresh_from_db()
    assert enrolment.spent_total == 0
    assert_reconciled()


def test_cancelling_an_expense_of_a_completed_enrolment_releases_it():
    enrolment = EnrolmentFactory(status="in_progress", committed=Decimal("5000"))
    expense = book(enrolment, Decimal("1200"))
    enrolment = services.complete_enrolment(enrolment=enrolment, by=an_officer())
    services.cancel_expense(expense=expense, by=an_officer(), reason="Erreur")
    enrolment.refresh_from_db()
    assert (enrolment.committed_amount, enrolment.spent_total) == (0, 0)
    assert_reconciled()


# --- the database backs the money rules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "values"),
    [
        ("programme", {"committed_total": Decimal("100001")}),
        ("programme", {"budget": Decimal("-1")}),
        ("programme", {"spent_total": Decimal("5000.01")}),
        ("enrolment", {"committed_amount": Decimal("10000.01")}),
        ("enrolment", {"spent_total": Decimal("5000.01")}),
        ("enrolment", {"status": "refused"}),
    ],
)
def test_check_constraints_back_the_invariants(model, values):
    enrolment = EnrolmentFactory(status="accepted", committed=Decimal("5000"))
    target = (
        Programme.objects.filter(pk=enrolment.programme_id)
        if model == "programme"
        else Enrolment.objects.filter(pk=enrolment.pk)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        target.update(**values)


def test_the_ledger_is_append_only():
    programme = ProgrammeFactory()
    entry = programme.ledger.get()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)


def test_reconcile_finds_a_total_changed_behind_the_ledgers_back():
    enrolment = EnrolmentFactory(status="accepted", committed=Decimal("5000"))
    Programme.objects.filter(pk=enrolment.programme_id).update(committed_total=Decimal("4000"))
    report = services.reconcile()
    assert not report.ok
    assert any("Σ committed amounts" in p and "≠ committed total 4000" in p for p in report.problems), report.problems


def test_reconcile_finds_an_edited_ledger_row():
    enrolment = EnrolmentFactory(status="accepted", committed=Decimal("5000"))
    entry = LedgerEntry.objects.get(enrolment=enrolment, kind="commit")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LedgerEntry._meta.db_table} SET comment = 'edited' WHERE id = %s", [entry.pk])
    problems = services.verify_ledger()
    assert problems == [f"programme {enrolment.programme_id}: ledger broken at entry #{entry.seq}"]


def test_reconcile_budgets_command(capsys):
    EnrolmentFactory(status="accepted")
    call_command("reconcile_budgets")
    assert "OK" in capsys.readouterr().out
    Enrolment.objects.update(spent_total=Decimal("1"))
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile_budgets")
    assert exit_.value.code == 1


# --- e-mails ------------------------------------------------------------------------------------


def test_each_decision_sends_one_email_in_the_companys_language(django_capture_on_commit_callbacks):
    from regions.tasks import send_transition_email

    enrolment = EnrolmentFactory(status="under_review")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_enrolment(
            enrolment=enrolment, reason="Budget réservé aux PME de l'agroalimentaire.", by=an_officer()
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "n'est pas retenue" in message.subject
    assert "Budget réservé aux PME de l'agroalimentaire." in message.body
    transition = EnrolmentTransition.objects.get(enrolment=enrolment, to_status="refused")
    assert transition.notified_at is not None
    send_transition_email(transition.pk)  # a second delivery of the task sends nothing
    assert len(mail.outbox) == 1


def test_no_email_for_steps_that_are_not_decisions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(status="applied")
    mail.outbox.clear()  # the application's receipt
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(enrolment=enrolment, by=an_officer())
    assert mail.outbox == []
