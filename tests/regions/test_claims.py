"""Payment claims, their services: submit with invoices, certify within the commitment, reject with a
reason, record the payment; each refusal typed, saying why and by how much, and writing nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import AuditEntry
from regions import services
from regions.exceptions import (
    AlreadyDecided,
    ClaimAboveCommitment,
    ClaimNotAllowed,
    CommitmentExceeded,
    DocumentRefused,
    IllegalTransition,
    InvalidAmount,
    InvalidInput,
)
from regions.models import ClaimTransition, Enrolment, LedgerEntry, PaymentClaim
from regions.services.claim_checks import verify_claims
from tests.regions.factories import EnrolmentFactory, an_officer, book, claim, invoice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def funded():
    """An enrolment in progress with 8,000 EUR committed."""
    return EnrolmentFactory(status="in_progress", committed=Decimal("8000"))


def _member(enrolment):
    return enrolment.company.memberships.first().user


def _submit(enrolment, amount, **kwargs):
    kwargs.setdefault("invoices", [invoice()])
    kwargs.setdefault("description", "Cellule robotisée")
    return services.submit_claim(enrolment=enrolment, amount=amount, by=_member(enrolment), **kwargs)


def _totals(enrolment):
    enrolment.refresh_from_db()
    return enrolment.certified_total, enrolment.paid_total


# --- submit ------------------------------------------------------------------------------------------


def test_a_member_submits_a_claim_with_its_invoices(funded):
    made = _submit(funded, Decimal("3000"), invoices=[invoice("f1.pdf"), invoice("f2.pdf", b"%PDF-1.4\n% 2\n")])
    assert made.status == "submitted"
    assert sorted(made.invoices.values_list("original_name", flat=True)) == ["f1.pdf", "f2.pdf"]
    assert ClaimTransition.objects.get(claim=made).to_status == "submitted"
    assert AuditEntry.objects.filter(action="claim.submitted", subject_pk=str(made.pk)).exists()


def test_a_claim_without_invoice_is_refused(funded):
    with pytest.raises(InvalidInput, match="Attach at least one invoice"):
        _submit(funded, Decimal("100"), invoices=[])
    assert not PaymentClaim.objects.exists()


def test_an_invoice_that_is_not_a_document_is_refused(funded):
    with pytest.raises(DocumentRefused, match="not a PDF"):
        _submit(funded, Decimal("100"), invoices=[invoice("f.pdf", b"MZ\x90\x00 not a pdf")])
    assert not PaymentClaim.objects.exists()


def test_a_claim_without_description_is_refused(funded):
    with pytest.raises(InvalidInput, match="what the invoices are for"):
        _submit(funded, Decimal("100"), description="  ")


def test_a_claim_above_what_the_commitment_allows_says_by_how_much(funded):
    book(funded, Decimal("500"))
    claim(funded, Decimal("6000"), status="certified")
    with pytest.raises(ClaimAboveCommitment) as refused:
        _submit(funded, Decimal("2000"))
    assert str(refused.value) == (
        "Above the commitment: 1,500 EUR left on this enrolment (8,000 EUR committed, 6,000 EUR already "
        "certified, 500 EUR of expenses); 2,000 EUR asked, 500 EUR too much"
    )
    assert PaymentClaim.objects.count() == 1


def test_a_claim_on_an_enrolment_not_funded_is_refused():
    enrolment = EnrolmentFactory(status="under_review")
    with pytest.raises(ClaimNotAllowed, match="accepted or in-progress"):
        _submit(enrolment, Decimal("100"))


def test_a_claim_of_no_money_is_refused(funded):
    with pytest.raises(InvalidAmount):
        _submit(funded, Decimal("0"))


# --- certify -----------------------------------------------------------------------------------------


def test_certifying_draws_on_the_commitment_and_chains_a_ledger_entry(funded):
    made = claim(funded, Decimal("3000"))
    services.certify_claim(claim=made, amount=Decimal("2500"), by=an_officer())
    assert _totals(funded) == (Decimal("2500"), Decimal("0"))
    entry = LedgerEntry.objects.filter(enrolment=funded).order_by("-seq").first()
    assert (entry.kind, entry.amount) == ("claim_certified", Decimal("2500"))
    assert services.reconcile(funded.programme).problems == []


def test_certifying_more_than_claimed_is_refused(funded):
    made = claim(funded, Decimal("3000"))
    with pytest.raises(InvalidAmount, match="above the amount claimed \\(3,000 EUR\\) by 1 EUR"):
        services.certify_claim(claim=made, amount=Decimal("3001"), by=an_officer())
    assert _totals(funded) == (Decimal("0"), Decimal("0"))


def test_certifying_beyond_the_commitment_is_refused_with_the_excess(funded):
    first, second = claim(funded, Decimal("5000")), claim(funded, Decimal("5000"))
    services.certify_claim(claim=first, amount=Decimal("5000"), by=an_officer())
    with pytest.raises(ClaimAboveCommitment, match="3,000 EUR left .* 5,000 EUR asked, 2,000 EUR too much"):
        services.certify_claim(claim=second, amount=Decimal("5000"), by=an_officer())
    assert _totals(funded) == (Decimal("5000"), Decimal("0"))
    assert PaymentClaim.objects.get(pk=second.pk).status == "submitted"


def test_a_claim_is_certified_once(funded):
    made = claim(funded, Decimal("1000"), status="certified")
    with pytest.raises(AlreadyDecided, match="already been decided: certified"):
        services.certify_claim(claim=made, amount=Decimal("1000"), by=an_officer())
    assert _totals(funded) == (Decimal("1000"), Decimal("0"))


def test_a_rejected_claim_cannot_be_certified(funded):
    made = claim(funded, Decimal("1000"), status="rejected")
    with pytest.raises(AlreadyDecided, match="rejected"):
        services.certify_claim(claim=made, amount=Decimal("1000"), by=an_officer())


# --- reject ------------------------------------------------------------------------------------------


def test_rejecting_keeps_the_reason_and_moves_no_money(funded):
    made = services.reject_claim(claim=claim(funded), reason="Facture au nom d'une autre société.", by=an_officer())
    assert (made.status, made.rejection_reason) == ("rejected", "Facture au nom d'une autre société.")
    assert _totals(funded) == (Decimal("0"), Decimal("0"))


def test_rejecting_without_a_reason_is_refused(funded):
    made = claim(funded)
    with pytest.raises(InvalidInput, match="reason for the rejection"):
        services.reject_claim(claim=made, reason=" ", by=an_officer())
    assert PaymentClaim.objects.get(pk=made.pk).status == "submitted"


def test_a_certified_claim_cannot_be_rejected(funded):
    with pytest.raises(AlreadyDecided):
        services.reject_claim(claim=claim(funded, status="certified"), reason="Non.", by=an_officer())


# --- pay ---------------------------------------------------------------------------------------------


def test_recording_the_payment_pays_the_amount_certified(funded):
    made = claim(funded, Decimal("3000"), status="certified", certified=Decimal("2800"))
    paid = services.record_payment(claim=made, paid_on=timezone.localdate(), reference="VIR-2026-001", by=an_officer())
    assert paid.status == "paid"
    assert (paid.payment.amount, paid.payment.reference) == (Decimal("2800"), "VIR-2026-001")
    assert _totals(funded) == (Decimal("2800"), Decimal("2800"))
    assert services.reconcile(funded.programme).problems == []


def test_a_submitted_claim_cannot_be_paid(funded):
    with pytest.raises(IllegalTransition, match="A claim that is received cannot become paid"):
        services.record_payment(claim=claim(funded), paid_on=timezone.localdate(), reference="VIR-1", by=an_officer())
    assert _totals(funded) == (Decimal("0"), Decimal("0"))


def test_a_claim_is_paid_once(funded):
    made = claim(funded, status="paid")
    with pytest.raises(AlreadyDecided, match="already been paid"):
        services.record_payment(claim=made, paid_on=timezone.localdate(), reference="VIR-2", by=an_officer())
    assert _totals(funded) == (Decimal("1000"), Decimal("1000"))


def test_a_payment_without_reference_is_refused(funded):
    with pytest.raises(InvalidInput, match="reference"):
        services.record_payment(
            claim=claim(funded, status="certified"), paid_on=timezone.localdate(), reference="", by=an_officer()
        )


def test_a_payment_dated_in_the_future_is_refused(funded):
    with pytest.raises(InvalidInput, match="future"):
        services.record_payment(
            claim=claim(funded, status="certified"),
            paid_on=timezone.localdate() + timedelta(days=1),
            reference="VIR-3",
            by=an_officer(),
        )


# --- the commitment, shared with expenses and the release --------------------------------------------


def test_an_expense_cannot_take_what_claims_have_certified(funded):
    claim(funded, Decimal("7500"), status="certified")
    with pytest.raises(CommitmentExceeded, match="500 EUR left"):
        book(funded, Decimal("600"))


def test_completion_releases_only_what_is_neither_spent_nor_certified(funded):
    book(funded, Decimal("1000"))
    claim(funded, Decimal("3000"), status="paid")
    services.complete_enrolment(enrolment=funded, by=an_officer(funded.programme.region))
    funded.refresh_from_db()
    assert funded.committed_amount == Decimal("4000")
    assert services.reconcile(funded.programme).problems == []


# --- invariants backed by the database and the checks ------------------------------------------------


def test_the_database_refuses_paid_above_certified(funded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=funded.pk).update(paid_total=Decimal("1"))


def test_the_database_refuses_certified_above_the_commitment(funded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=funded.pk).update(certified_total=Decimal("8000.01"))


def test_reconciliation_finds_a_certified_total_that_the_claims_do_not_explain(funded):
    claim(funded, Decimal("1000"), status="certified")
    Enrolment.objects.filter(pk=funded.pk).update(certified_total=Decimal("1500"))
    problems = services.reconcile(funded.programme).problems
    assert f"enrolment {funded.pk}: Σ claims certified 1000.00 ≠ certified 1500.00" in problems
    assert f"enrolment {funded.pk}: ledger certifications 1000.00 ≠ certified 1500.00" in problems


def test_reconciliation_finds_a_payment_edited_around_the_services(funded):
    made = claim(funded, Decimal("1000"), status="paid")
    made.payment.__class__.objects.filter(pk=made.payment.pk).update(amount=Decimal("900"))
    problems = services.reconcile(funded.programme).problems
    assert f"enrolment {funded.pk}: Σ payments 900.00 ≠ paid 1000.00" in problems


def test_the_audit_check_finds_a_claim_certified_around_the_services(funded):
    made = claim(funded, Decimal("1000"))
    assert verify_claims() == []
    PaymentClaim.objects.filter(pk=made.pk).update(status="certified", certified_amount=Decimal("1000"))
    [problem] = verify_claims()
    assert problem.subject == f"regions.paymentclaim:{made.pk}"


def test_the_commands_pass_on_claims_then_report_a_paid_total_changed_in_sql(funded, capsys):
    claim(funded, Decimal("1000"), status="paid")
    call_command("reconcile_budgets")
    call_command("verify_audit")
    assert "OK" in capsys.readouterr().out
    Enrolment.objects.filter(pk=funded.pk).update(paid_total=Decimal("900"))
    with pytest.raises(SystemExit):
        call_command("reconcile_budgets")
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert (
        f"regions.enrolment:{funded.pk}: the enrolment's certified 1000.00 and paid 900.00 differ"
        in capsys.readouterr().err
    )


def test_every_step_of_a_claim_is_audited_with_the_enrolment_totals(funded):
    made = claim(funded, Decimal("1000"), status="paid")
    actions = list(
        AuditEntry.objects.filter(subject_model="paymentclaim", subject_pk=str(made.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["claim.submitted", "claim.certified", "claim.paid"]
    assert verify_claims() == []


def test_the_companys_data_export_holds_its_claims_invoices_and_payments(funded):
    from regions.privacy import export_enrolments

    made = claim(funded, Decimal("1000"), status="paid")
    [exported] = export_enrolments(funded.company).data["enrolments"][0]["payment_claims"]
    assert (exported["id"], exported["status"], exported["payment"]["reference"]) == (made.pk, "paid", f"VIR-{made.pk}")
    assert [invoice["name"] for invoice in exported["invoices"]] == ["facture.pdf"]
    assert [step["to"] for step in exported["steps"]] == ["submitted", "certified", "paid"]
