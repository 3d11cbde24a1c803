"""Payment claims: a company's member submits a claim with its invoices; an officer certifies an
amount or rejects it with a reason; the payment of a certified claim is recorded.

Every step is a move of `regions.workflows.CLAIM` (recorded, audited, told). Locks are taken in the
order of every money service: the programme, then the enrolment, then the claim, so a certification
and an acceptance, an expense or a completion on the same programme queue instead of crossing. Under
them the amount left on the commitment (committed − spent − already certified) is computed from the
locked rows, so 50 concurrent certifications never take the enrolment over its commitment.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.money import format_eur
from portal.storage import STORAGE_ERRORS
from regions.exceptions import ClaimAboveCommitment, ClaimNotAllowed, DocumentRefused, InvalidAmount, InvalidInput
from regions.models import ClaimInvoice, ClaimPayment, Enrolment, PaymentClaim
from regions.models.documents import document_storage
from regions.services.documents import checked_file, display_name
from regions.services.ledger import lock_enrolment, lock_programme, positive_amount, refuse_if_settled
from regions.workflows import CLAIM

logger = logging.getLogger(__name__)
Status = PaymentClaim.Status


def left_to_certify(enrolment):
    """What the enrolment's commitment still allows: committed − expenses − certified claims."""
    return enrolment.committed_amount - enrolment.spent_total - enrolment.certified_total


def _check_within_commitment(enrolment, amount):
    if amount > left_to_certify(enrolment):
        raise ClaimAboveCommitment(
            committed=enrolment.committed_amount,
            certified=enrolment.certified_total,
            spent=enrolment.spent_total,
            asked=amount,
        )


def _locked_claim(claim):
    """The programme, the enrolment, then the claim, re-read under their row locks and linked."""
    enrolment_id, programme_id = (
        PaymentClaim.objects.filter(pk=claim.pk).values_list("enrolment_id", "enrolment__programme_id").get()
    )
    programme = lock_programme(programme_id)
    enrolment = lock_enrolment(enrolment_id)
    enrolment.programme = programme
    current = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
    current.enrolment = enrolment
    return current


def _checked_invoices(invoices):
    invoices = list(invoices or [])
    if not invoices:
        raise InvalidInput(_("Attach at least one invoice."))
    limit = settings.APPLICATION_DOCUMENTS_MAX_COUNT
    if len(invoices) > limit:
        raise DocumentRefused(
            ngettext("A claim holds at most %(count)d invoice.", "A claim holds at most %(count)d invoices.", limit)
            % {"count": limit}
        )
    return [(upload, *checked_file(upload)) for upload in invoices]


def _store_invoice(claim, upload, data, file_type, by):
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        # Written before the row: a rolled-back transaction leaves an unreferenced object, never a row pointing at nothing.
        name = document_storage().save(f"claims/{claim.pk}/{sha256}.{file_type.extension}", ContentFile(data))
    except STORAGE_ERRORS as error:
        logger.error("storing an invoice of claim %s failed: %s", claim.pk, error)
        raise DocumentRefused(_("The invoice could not be stored; try again in a few minutes.")) from error
    return ClaimInvoice.objects.create(
        claim=claim,
        file=name,
        original_name=display_name(upload, file_type.extension),
        content_type=file_type.content_type,
        size=len(data),
        sha256=sha256,
        uploaded_by=by,
    )


@transaction.atomic
def submit_claim(*, enrolment, amount, description, invoices, by):
    """A member of a funded company (accepted or in progress) claims `amount` with its invoices; not
    once the programme is closed for good (ProgrammeSettled: its certified claims are still paid).

    The amount must fit in what the commitment still allows (committed − expenses − certified
    claims); claims waiting for a decision do not count, since they may be rejected. Every file is
    checked (size before reading, type by content) before anything is written."""
    amount = positive_amount(amount)
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("Say what the invoices are for."))
    files = _checked_invoices(invoices)
    programme = lock_programme(enrolment.programme_id)
    refuse_if_settled(programme)
    current = lock_enrolment(enrolment.pk)
    current.programme = programme
    if current.status not in Enrolment.BOOKABLE:
        raise ClaimNotAllowed(
            _("A payment claim can be made only on an accepted or in-progress enrolment; this one is %(status)s.")
            % {"status": current.get_status_display()}
        )
    _check_within_commitment(current, amount)
    claim = PaymentClaim.objects.create(
        enrolment=current, amount_claimed=amount, description=description[:500], submitted_by=by
    )
    for upload, data, file_type in files:
        _store_invoice(claim, upload, data, file_type, by)
    CLAIM.start(claim, by=by)
    return claim


@transaction.atomic
def certify_claim(*, claim, amount, by, comment=""):
    """submitted → certified at `amount` ≤ the amount claimed and ≤ what the commitment still
    allows, computed under the locks. Raises ClaimAboveCommitment (saying by how much), InvalidAmount
    or AlreadyDecided and writes nothing."""
    amount = positive_amount(amount)
    current = _locked_claim(claim)
    refuse_if_settled(current.enrolment.programme)
    CLAIM.check(current, Status.CERTIFIED)
    if amount > current.amount_claimed:
        raise InvalidAmount(
            _("The amount certified is above the amount claimed (%(claimed)s) by %(excess)s.")
            % {"claimed": format_eur(current.amount_claimed), "excess": format_eur(amount - current.amount_claimed)}
        )
    _check_within_commitment(current.enrolment, amount)
    CLAIM.move(
        current,
        Status.CERTIFIED,
        by=by,
        comment=comment,
        certified_amount=amount,
        decided_by=by,
        decided_at=timezone.now(),
    )
    return current


@transaction.atomic
def reject_claim(*, claim, reason, by):
    """submitted → rejected, with the reason the company will read."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the rejection; the company will read it."))
    current = _locked_claim(claim)
    CLAIM.move(
        current,
        Status.REJECTED,
        by=by,
        comment=reason,
        rejection_reason=reason,
        decided_by=by,
        decided_at=timezone.now(),
    )
    return current


@transaction.atomic
def record_payment(*, claim, paid_on, reference, by):
    """certified → paid: the amount certified is paid on `paid_on` (not in the future) under the
    transfer's `reference`. One payment per claim, so Σ paid ≤ Σ certified on every enrolment (the
    database checks it too)."""
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput(_("Give the payment's reference."))
    if paid_on is None:
        raise InvalidInput(_("Give the payment date."))
    if paid_on > timezone.localdate():
        raise InvalidInput(_("The payment date cannot be in the future."))
    current = _locked_claim(claim)
    CLAIM.check(current, Status.PAID)
    current.payment = ClaimPayment.objects.create(
        claim=current, amount=current.certified_amount, paid_on=paid_on, reference=reference[:100], recorded_by=by
    )
    CLAIM.move(current, Status.PAID, by=by)
    return current
