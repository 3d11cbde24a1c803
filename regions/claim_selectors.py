"""Reads of payment claims, scoped like their enrolments (`regions.selectors.enrolments_visible_to`):
staff see every claim, officers those of their regions' programmes, members their companies' ones."""

from regions.models import ClaimInvoice, ClaimTransition, PaymentClaim
from regions.selectors import enrolments_visible_to, officer_region_ids

# Claims an officer has something to do on: decide (submitted) or pay (certified).
TO_PROCESS = [PaymentClaim.Status.SUBMITTED, PaymentClaim.Status.CERTIFIED]


def visible_claim(user, pk):
    """One claim the user may see, with its enrolment, programme, company and payment, or None."""
    return (
        PaymentClaim.objects.filter(pk=pk, enrolment__in=enrolments_visible_to(user))
        .select_related("enrolment__programme__region", "enrolment__company", "payment", "submitted_by", "decided_by")
        .first()
    )


def enrolment_claims(enrolment):
    """The claims of an enrolment, latest first, with their payments (one query)."""
    return PaymentClaim.objects.filter(enrolment=enrolment).select_related("payment").order_by("-submitted_at", "-pk")


def claim_invoices(claim):
    return ClaimInvoice.objects.filter(claim=claim)


def claim_history(claim):
    return ClaimTransition.objects.filter(claim=claim).select_related("by").order_by("at", "pk")


def claims_to_process(user):
    """The claims waiting for an officer (submitted, or certified and not paid yet), oldest first:
    their regions' ones for officers, all for staff, none for anyone else."""
    claims = PaymentClaim.objects.filter(status__in=TO_PROCESS).select_related(
        "enrolment__programme__region", "enrolment__company"
    )
    if not (user.is_authenticated and user.is_staff):
        claims = claims.filter(enrolment__programme__region_id__in=officer_region_ids(user))
    return claims.order_by("submitted_at", "pk")


def visible_invoice(user, pk):
    """An invoice of a claim the user may see, with its claim, enrolment and programme, or None."""
    return (
        ClaimInvoice.objects.filter(pk=pk, claim__enrolment__in=enrolments_visible_to(user))
        .select_related("claim__enrolment__programme", "claim__enrolment__company")
        .first()
    )
