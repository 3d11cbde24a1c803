"""The regions app's part of a company's data: its applications and enrolments, their steps, the
documents of their files, the expenses booked on them, the experts assigned from them and its payment
claims (invoices, steps, payments); and what the closure erases among them (never an amount: the
programmes' totals and ledger stay as they are; the claims' invoices stay too, as the accounting
records of the public money paid)."""

from django.db import transaction

from portal.privacy import CompanyData, ExportPart, register_company_data
from regions.models import (
    ClaimInvoice,
    ClaimPayment,
    ClaimTransition,
    Enrolment,
    EnrolmentAssignment,
    EnrolmentDocument,
    EnrolmentTransition,
    Expense,
    PaymentClaim,
)
from regions.models.documents import document_storage


def export_enrolments(company):
    enrolments = (
        Enrolment.objects.filter(company=company).select_related("programme__region").order_by("applied_at", "pk")
    )
    steps, expenses, assignments = {}, {}, {}
    for step in EnrolmentTransition.objects.filter(enrolment__company=company).order_by("at", "pk"):
        steps.setdefault(step.enrolment_id, []).append(
            {"from": step.from_status, "to": step.to_status, "by": step.by_id, "at": step.at, "comment": step.comment}
        )
    for expense in Expense.objects.filter(enrolment__company=company).order_by("incurred_on", "pk"):
        expenses.setdefault(expense.enrolment_id, []).append(
            {
                "kind": expense.kind,
                "amount": expense.amount,
                "label": expense.label,
                "incurred_on": expense.incurred_on,
                "cancelled_at": expense.cancelled_at,
                "cancel_reason": expense.cancel_reason,
            }
        )
    documents = {}
    for document in EnrolmentDocument.objects.filter(enrolment__company=company).order_by("uploaded_at", "pk"):
        documents.setdefault(document.enrolment_id, []).append(
            {
                "kind": document.kind,
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "uploaded_by": document.uploaded_by_id,
                "uploaded_at": document.uploaded_at,
            }
        )
    for link in EnrolmentAssignment.objects.filter(enrolment__company=company).order_by("pk"):
        assignments.setdefault(link.enrolment_id, []).append(link.assignment_id)
    claims = export_claims(company)
    data = {
        "enrolments": [
            {
                "id": enrolment.pk,
                "programme": {"id": enrolment.programme_id, "name": enrolment.programme.name},
                "region": enrolment.programme.region.code,
                "diagnostic": enrolment.diagnostic_id,
                "status": enrolment.status,
                "requested_amount": enrolment.requested_amount,
                "motivation": enrolment.motivation,
                "cap_amount": enrolment.cap_amount,
                "committed_amount": enrolment.committed_amount,
                "spent_total": enrolment.spent_total,
                "refusal_reason": enrolment.refusal_reason,
                "applied_by": enrolment.applied_by_id,
                "applied_at": enrolment.applied_at,
                "decided_at": enrolment.decided_at,
                "eligible_cost": enrolment.eligible_cost,
                "declared_outside_aid": enrolment.declared_outside_aid,
                "steps": steps.get(enrolment.pk, []),
                "documents": documents.get(enrolment.pk, []),
                "expenses": expenses.get(enrolment.pk, []),
                "expert_assignments": assignments.get(enrolment.pk, []),
                "certified_total": enrolment.certified_total,
                "paid_total": enrolment.paid_total,
                "payment_claims": claims.get(enrolment.pk, []),
            }
            for enrolment in enrolments
        ]
    }
    return ExportPart(data=data)


def export_claims(company):
    """{enrolment id: [its payment claims, with their invoices, steps and payment]} (four queries)."""
    invoices, steps = {}, {}
    for invoice in ClaimInvoice.objects.filter(claim__enrolment__company=company).order_by("uploaded_at", "pk"):
        invoices.setdefault(invoice.claim_id, []).append(
            {
                "name": invoice.original_name,
                "content_type": invoice.content_type,
                "size": invoice.size,
                "sha256": invoice.sha256,
                "uploaded_by": invoice.uploaded_by_id,
                "uploaded_at": invoice.uploaded_at,
            }
        )
    for step in ClaimTransition.objects.filter(claim__enrolment__company=company).order_by("at", "pk"):
        steps.setdefault(step.claim_id, []).append(
            {"from": step.from_status, "to": step.to_status, "by": step.by_id, "at": step.at, "comment": step.comment}
        )
    payments = {payment.claim_id: payment for payment in ClaimPayment.objects.filter(claim__enrolment__company=company)}
    claims = {}
    for claim in PaymentClaim.objects.filter(enrolment__company=company).order_by("submitted_at", "pk"):
        payment = payments.get(claim.pk)
        claims.setdefault(claim.enrolment_id, []).append(
            {
                "id": claim.pk,
                "status": claim.status,
                "amount_claimed": claim.amount_claimed,
                "description": claim.description,
                "certified_amount": claim.certified_amount,
                "rejection_reason": claim.rejection_reason,
                "submitted_by": claim.submitted_by_id,
                "submitted_at": claim.submitted_at,
                "decided_at": claim.decided_at,
                "invoices": invoices.get(claim.pk, []),
                "steps": steps.get(claim.pk, []),
                "payment": None
                if payment is None
                else {"amount": payment.amount, "paid_on": payment.paid_on, "reference": payment.reference},
            }
        )
    return claims


def erase_enrolments(*, company, user_ids):
    """The motivations the company wrote and the documents of its files go (the files once the erasure
    is committed); amounts, statuses and expenses stay, so the programmes' totals and ledger do not change."""
    Enrolment.objects.filter(company=company).exclude(motivation="").update(motivation="")
    documents = EnrolmentDocument.objects.filter(enrolment__company=company)
    names = list(documents.values_list("file", flat=True))
    documents.delete()
    storage = document_storage()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def register():
    register_company_data(
        CompanyData(
            key="regions",
            models=(
                "regions.Enrolment",
                "regions.EnrolmentTransition",
                "regions.EnrolmentDocument",
                "regions.Expense",
                "regions.EnrolmentAssignment",
                "regions.PaymentClaim",
                "regions.ClaimInvoice",
                "regions.ClaimTransition",
                "regions.ClaimPayment",
            ),
            export=export_enrolments,
            erase=erase_enrolments,
            order=30,
        )
    )
