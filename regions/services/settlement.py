"""What closing a programme for good does to its money (the `settle` move of `regions.workflows.PROGRAMME`):
no application nor payment claim may still wait for a decision, and every commitment neither spent
nor certified goes back to the programme, one ledger movement per enrolment (certified claims stay
owed, and are paid after the closing). Runs under the programme's row lock, held by the move."""

from django.db.models import F
from django.utils.translation import gettext as _

from portal.audit import record
from portal.money import ZERO, money_text
from regions.exceptions import ApplicationsPending, ClaimsPending
from regions.models import Enrolment, PaymentClaim
from regions.services.audit import enrolment_state, record_programme
from regions.services.ledger import release_unspent

PENDING = (Enrolment.Status.APPLIED, Enrolment.Status.SENT_BACK, Enrolment.Status.UNDER_REVIEW)


def pending_decisions(programme):
    """How many applications of the programme still wait for a decision."""
    return Enrolment.objects.filter(programme=programme, status__in=PENDING).count()


def pending_claims(programme):
    """How many payment claims on the programme still wait for the officer's decision."""
    return PaymentClaim.objects.filter(enrolment__programme=programme, status=PaymentClaim.Status.SUBMITTED).count()


def unspent_commitments(programme):
    """The enrolments that still hold money they neither spent nor had certified (what closing would release)."""
    return Enrolment.objects.filter(programme=programme, status__in=Enrolment.BOOKABLE, committed_amount__gt=0).exclude(
        committed_amount__lte=F("spent_total") + F("certified_total")
    )


def release_all_unspent(programme, *, by, comment=""):
    """Refuse (ApplicationsPending, ClaimsPending) while applications or claims wait for a decision; else
    release every unspent
    commitment (a RELEASE entry each, given back to its tranche, and an `enrolment.released` audit entry
    with the enrolment's amounts before and after) and audit the whole (`programme.settled`)."""
    pending = pending_decisions(programme)
    if pending:
        raise ApplicationsPending(count=pending)
    claims = pending_claims(programme)
    if claims:
        raise ClaimsPending(count=claims)
    committed_before = programme.committed_total
    released, count = ZERO, 0
    enrolments = unspent_commitments(programme).select_for_update(of=("self",)).order_by("pk")
    for enrolment in enrolments:
        before = enrolment_state(enrolment, programme)
        entry = release_unspent(
            programme=programme,
            enrolment=enrolment,
            by=by,
            comment=comment or _("Programme closed for good: unspent commitment released"),
        )
        if entry is not None:
            released -= entry.amount
            count += 1
            record(
                action="enrolment.released",
                subject=enrolment,
                by=by,
                before=before,
                after=enrolment_state(enrolment, programme),
                region=programme.region_id,
            )
    record_programme(
        programme=programme,
        action="programme.settled",
        by=by,
        before={"committed": money_text(committed_before)},
        after={
            "committed": money_text(programme.committed_total),
            "spent": money_text(programme.spent_total),
            "released": money_text(released),
            "enrolments_released": count,
        },
    )
    return released
