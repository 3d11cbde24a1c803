"""The money a payment claim moves, as effects of the claim's workflow moves (`regions.workflows.CLAIM`).

Run inside the move, under the locks the claim services take (the programme, then the enrolment,
then the claim; both set on the claim as `claim.enrolment` and `claim.enrolment.programme`):
certifying adds the amount certified to the enrolment's certified total, paying adds the payment to
its paid total; each appends an entry to the programme's hash-chained ledger (its totals after are
unchanged: the programme's committed and spent do not move), so `verify_ledger` covers it and
`reconcile` can sum it. The audit state (`claim_state`) carries the claim's and the enrolment's
amounts, which `verify_claims` compares with the rows.
"""

from portal.money import money_text
from regions.models import Enrolment, LedgerEntry
from regions.services.ledger import append_ledger


def _ledger(claim, kind, amount, by):
    enrolment = claim.enrolment
    return append_ledger(
        programme=enrolment.programme,
        kind=kind,
        amount=amount,
        by=by,
        enrolment=enrolment,
        comment=f"claim:{claim.pk}",
    )


def certify_effect(claim, *, by, comment):
    """The amount certified joins the enrolment's certified total (the database checks that
    spent + certified stays within the commitment; the service checked it first, under lock)."""
    enrolment = claim.enrolment
    enrolment.certified_total += claim.certified_amount
    Enrolment.objects.filter(pk=enrolment.pk).update(certified_total=enrolment.certified_total)
    _ledger(claim, LedgerEntry.Kind.CLAIM_CERTIFIED, claim.certified_amount, by)


def pay_effect(claim, *, by, comment):
    """The payment (its row written by the service just before the move) joins the paid total."""
    enrolment = claim.enrolment
    enrolment.paid_total += claim.payment.amount
    Enrolment.objects.filter(pk=enrolment.pk).update(paid_total=enrolment.paid_total)
    _ledger(claim, LedgerEntry.Kind.CLAIM_PAID, claim.payment.amount, by)


def claim_state(claim):
    """What the audit trail keeps of a claim at each step: its status and amounts, the enrolment's
    certified and paid totals, and once paid, the payment."""
    enrolment = claim.enrolment
    state = {
        "status": claim.status,
        "enrolment": enrolment.pk,
        "claimed": money_text(claim.amount_claimed),
        "certified": money_text(claim.certified_amount),
        "enrolment_certified": money_text(enrolment.certified_total),
        "enrolment_paid": money_text(enrolment.paid_total),
    }
    if claim.status == claim.Status.PAID:
        payment = claim.payment
        state |= {
            "paid": money_text(payment.amount),
            "paid_on": payment.paid_on.isoformat(),
            "reference": payment.reference,
        }
    return state
