"""Closing a programme for good: the refusals, the releases, the frozen books, and the closing statement
(its figures are the ledger's; PDF through the report workers, CSV, XLSX)."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils.translation import override
from openpyxl import load_workbook

from portal.models import AuditEntry
from portal.money import ZERO
from portal.spreadsheets import FRENCH_CSV
from regions import closing, services
from regions.exceptions import ApplicationsPending, IllegalTransition, ProgrammeSettled
from regions.exports import statement_response
from regions.models import BudgetTranche, ClosingStatement, Enrolment, LedgerEntry, Programme
from regions.services import reconcile
from regions.services.statements import render_statement, statement_html
from tests.diagnostics.report_support import pdf_text
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer, book, claim

pytestmark = pytest.mark.django_db
S = Enrolment.Status
P = Programme.Status


@pytest.fixture
def programme():
    return ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("20000"))


@pytest.fixture
def funded(programme):
    """Three companies: one in progress that spent 3,000 of 10,000, one accepted with nothing spent
    (8,000), one completed (4,000 spent of 6,000: 2,000 already released)."""
    in_progress = EnrolmentFactory(programme=programme, status=S.IN_PROGRESS, committed=Decimal("10000"))
    book(in_progress, Decimal("3000"))
    accepted = EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("8000"))
    completed = EnrolmentFactory(programme=programme, status=S.IN_PROGRESS, committed=Decimal("6000"))
    book(completed, Decimal("4000"))
    services.complete_enrolment(enrolment=completed, by=an_officer(programme.region))
    return in_progress, accepted, completed


def settle(programme, **kwargs):
    return services.settle_programme(programme=programme, by=an_officer(programme.region), **kwargs)


def assert_reconciled(programme):
    report = services.reconcile(programme)
    assert report.ok, report.problems


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.APPLIED, S.SENT_BACK, S.UNDER_REVIEW])
def test_closing_is_refused_while_an_application_waits_for_a_decision(programme, status, english):
    EnrolmentFactory(programme=programme, status=status)
    with pytest.raises(ApplicationsPending) as refused:
        settle(programme)
    assert refused.value.count == 1
    assert str(refused.value).startswith("1 application is still waiting for a decision")
    assert Programme.objects.get(pk=programme.pk).status == P.OPEN
    assert not ClosingStatement.objects.exists()


def test_the_pending_refusal_counts_the_applications(programme, english):
    EnrolmentFactory(programme=programme, status=S.APPLIED)
    EnrolmentFactory(programme=programme, status=S.UNDER_REVIEW)
    with pytest.raises(ApplicationsPending) as refused:
        settle(programme)
    assert str(refused.value).startswith("2 applications are still waiting for a decision")


def test_a_draft_cannot_be_closed_for_good():
    programme = ProgrammeFactory(status=P.DRAFT)
    with pytest.raises(IllegalTransition):
        settle(programme)
    assert Programme.objects.get(pk=programme.pk).status == P.DRAFT


def test_a_programme_closed_for_good_cannot_be_reopened(programme, english):
    settle(programme)
    with pytest.raises(ProgrammeSettled) as refused:
        services.set_programme_status(programme=programme, status=P.OPEN, by=an_officer(programme.region))
    assert "cannot be reopened" in str(refused.value)
    assert Programme.objects.get(pk=programme.pk).status == P.SETTLED


@pytest.mark.parametrize("status", [P.CLOSED, P.SETTLED])
def test_a_programme_closed_for_good_cannot_be_closed_again(programme, status):
    settle(programme)
    with pytest.raises(ProgrammeSettled):
        services.set_programme_status(programme=programme, status=status, by=an_officer(programme.region))


def test_a_programme_closed_for_good_refuses_a_budget_change(programme):
    settle(programme)
    with pytest.raises(ProgrammeSettled):
        services.change_budget(programme=programme, budget="120000", by=None)
    assert Programme.objects.get(pk=programme.pk).budget == Decimal("100000")


def test_a_programme_closed_for_good_refuses_an_edit(programme):
    settle(programme)
    with pytest.raises(ProgrammeSettled):
        services.update_programme(programme=programme, by=None, name="Autre nom")
    assert Programme.objects.get(pk=programme.pk).name == programme.name


def test_a_programme_closed_for_good_refuses_an_expense(programme, funded):
    settle(programme)
    with pytest.raises(ProgrammeSettled):
        book(funded[0], Decimal("1"))


def test_a_programme_closed_for_good_refuses_cancelling_an_expense(programme, funded):
    expense = funded[0].expenses.get()
    settle(programme)
    with pytest.raises(ProgrammeSettled):
        services.cancel_expense(expense=expense, by=None, reason="Erreur")
    expense.refresh_from_db()
    assert expense.cancelled_at is None


def test_a_programme_closed_from_closed_can_be_closed_for_good(programme):
    services.set_programme_status(programme=programme, status=P.CLOSED, by=None)
    assert settle(programme).status == P.SETTLED


# --- releases -----------------------------------------------------------------------------------


def test_closing_releases_every_unspent_commitment_as_ledger_movements(programme, funded):
    in_progress, accepted, completed = funded
    settle(programme, comment="Fin du programme")
    programme.refresh_from_db()
    assert (programme.status, programme.committed_total, programme.spent_total) == (
        P.SETTLED,
        Decimal("7000"),
        Decimal("7000"),
    )
    releases = LedgerEntry.objects.filter(programme=programme, kind="release").order_by("seq")
    assert [(entry.enrolment_id, entry.amount, entry.comment) for entry in releases] == [
        (completed.pk, Decimal("-2000"), ""),
        (in_progress.pk, Decimal("-7000"), "Fin du programme"),
        (accepted.pk, Decimal("-8000"), "Fin du programme"),
    ]
    for enrolment in (in_progress, accepted):
        enrolment.refresh_from_db()
        assert enrolment.committed_amount == enrolment.spent_total
    assert BudgetTranche.objects.get(programme=programme).committed == Decimal("7000")
    assert_reconciled(programme)


def test_closing_is_audited_with_what_it_released(programme, funded):
    settle(programme)
    entry = AuditEntry.objects.filter(action="programme.settled").get()
    assert json.loads(entry.after) == {
        "committed": "7000.00",
        "spent": "7000.00",
        "released": "15000.00",
        "enrolments_released": 2,
    }
    assert json.loads(entry.before) == {"committed": "22000.00"}
    moves = AuditEntry.objects.filter(action="programme.status_changed").order_by("-seq")
    assert json.loads(moves.first().after)["status"] == "settled"


def test_closing_with_nothing_committed_releases_nothing(programme):
    settle(programme)
    assert not LedgerEntry.objects.filter(programme=programme, kind="release").exists()
    assert_reconciled(programme)


# --- the statement ------------------------------------------------------------------------------


def test_the_statement_figures_equal_the_ledger(programme, funded):
    settle(programme)
    statement = closing.closing_statement(programme)
    ledger = LedgerEntry.objects.filter(programme=programme)
    committed = ledger.filter(kind="commit").aggregate(total=Sum("amount"))["total"]
    released = -ledger.filter(kind="release").aggregate(total=Sum("amount"))["total"]
    programme.refresh_from_db()
    assert statement.total.committed == committed == Decimal("24000")
    assert statement.total.released == released == Decimal("17000")
    assert statement.total.still_committed == programme.committed_total == Decimal("7000")
    assert statement.total.spent == programme.spent_total
    assert statement.unused == programme.budget - programme.committed_total
    assert statement.total.budget_share == Decimal("24.00")


def test_the_statement_has_one_row_per_company(programme, funded):
    settle(programme)
    statement = closing.closing_statement(programme)
    by_company = {row.company: row for row in statement.rows}
    in_progress = by_company[funded[0].company.name]
    assert (in_progress.committed, in_progress.spent, in_progress.released, in_progress.still_committed) == (
        Decimal("10000"),
        Decimal("3000"),
        Decimal("7000"),
        Decimal("3000"),
    )
    assert len(statement.rows) == 3


def test_certified_and_paid_are_the_claims_of_each_company(programme, funded):
    in_progress, accepted, _completed = funded
    claim(in_progress, Decimal("2500"), status="paid")
    claim(in_progress, Decimal("1000"), status="certified", certified=Decimal("800"))
    claim(accepted, Decimal("3000"), status="rejected")

    statement = closing.closing_statement(programme)

    by_company = {row.company: row for row in statement.rows}
    assert (by_company[in_progress.company.name].certified, by_company[in_progress.company.name].paid) == (
        Decimal("3300"),
        Decimal("2500"),
    )
    assert (by_company[accepted.company.name].certified, by_company[accepted.company.name].paid) == (ZERO, ZERO)
    assert (statement.total.certified, statement.total.paid) == (Decimal("3300"), Decimal("2500"))


def test_closing_keeps_what_was_certified_and_releases_the_rest(programme, funded):
    in_progress, _accepted, _completed = funded
    claim(in_progress, Decimal("2500"), status="certified")

    settle(programme)

    in_progress.refresh_from_db()
    row = next(row for row in closing.closing_statement(programme).rows if row.company == in_progress.company.name)
    # 10,000 committed: 3,000 spent, 2,500 certified, 4,500 released; the certified claim stays owed.
    assert (row.spent, row.certified, row.released, row.still_committed) == (
        Decimal("3000"),
        Decimal("2500"),
        Decimal("4500"),
        Decimal("5500"),
    )
    assert reconcile().ok


def test_the_statement_is_read_in_a_fixed_number_of_queries(programme, funded, django_assert_max_num_queries):
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("1000"))
    with django_assert_max_num_queries(3):
        closing.closing_statement(programme)


def test_closing_requests_the_pdf_which_the_workers_draw(programme, funded, django_capture_on_commit_callbacks):
    with override("fr"), django_capture_on_commit_callbacks(execute=True):
        settle(programme)
    pdf = ClosingStatement.objects.get(programme=programme)
    assert (pdf.status, pdf.language) == (ClosingStatement.Status.READY, "fr")
    assert pdf.file.name == f"closing-statements/{programme.pk}/{pdf.sha256}.pdf"
    with pdf.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert programme.name in text
    for enrolment in funded:
        assert enrolment.company.name in text
    assert "24 000 EUR" in text.replace("\u202f", " ").replace("\xa0", " ")  # committed at acceptance
    assert "17 000 EUR" in text.replace("\u202f", " ").replace("\xa0", " ")  # released


def test_rendering_twice_draws_the_pdf_once(programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        settle(programme)
    pdf = ClosingStatement.objects.get(programme=programme)
    again = render_statement(pdf.pk)
    assert (again.status, again.sha256, again.rendered_at) == (pdf.status, pdf.sha256, pdf.rendered_at)


def test_a_render_that_fails_marks_the_statement_failed(programme, monkeypatch):
    settle(programme)
    pdf = ClosingStatement.objects.get(programme=programme)
    monkeypatch.setattr("regions.services.statements.statement_html", lambda *args, **kwargs: 1 / 0)
    failed = render_statement(pdf.pk)
    assert failed.status == ClosingStatement.Status.FAILED and "ZeroDivisionError" in failed.error


def test_the_statement_html_names_every_column(programme, funded):
    html = statement_html(programme, language="en")
    for title in ("Committed", "Spent", "Certified", "Paid", "Released", "Still committed", "Yearly tranches"):
        assert title in html


def test_the_csv_is_in_the_french_spreadsheet_layout(programme, funded):
    settle(programme)
    with override("fr"):
        response = statement_response(statement=closing.closing_statement(programme), fmt="csv", layout=FRENCH_CSV)
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 1 + 3 + 1
    total = rows[-1]
    assert total[0] == "Total" and total[2] == "100000,00"
    assert total[4:] == ["24000,00", "7000,00", "0,00", "0,00", "17000,00", "7000,00"]


def test_the_xlsx_holds_the_same_figures(programme, funded):
    settle(programme)
    with override("en"):
        response = statement_response(statement=closing.closing_statement(programme), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Company", "SIRET", "Budget (EUR)", "Share of the budget (%)", "Committed (EUR)")
    assert rows[-1][0] == "Total"
    assert [Decimal(str(value)) for value in rows[-1][4:]] == [
        Decimal("24000"),
        Decimal("7000"),
        Decimal("0"),
        Decimal("0"),
        Decimal("17000"),
        Decimal("7000"),
    ]


def test_each_release_is_audited_on_its_enrolment_and_the_trail_verifies(programme, funded, capsys):
    settle(programme)
    released = AuditEntry.objects.filter(action="enrolment.released").order_by("seq")
    assert [(entry.subject_pk, json.loads(entry.after)["committed"]) for entry in released] == [
        (str(funded[0].pk), "3000.00"),
        (str(funded[1].pk), "0.00"),
    ]
    call_command("verify_audit")
    assert "problem" not in capsys.readouterr().err.lower()
