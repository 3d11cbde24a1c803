"""The regions app's workflows (`portal.workflow`): an enrolment's and a programme's.

Enrolment: applied → under review → accepted (money committed) or refused; accepted → in progress →
completed; withdrawn from any live status before completion. One cycle: an applied application (or
one under review) may be sent back for changes, and the company sends it again (applied). A decision
or an ending is reached once (a conditional unique constraint on `EnrolmentTransition` backs it; the
guard is the lock and the status re-read under it). The officers of the programme's region and staff
take the decisions; the company's members withdraw and send again. The company is told by e-mail of
the decisions, the requests for changes, the start and the completion.

Payment claim: submitted → certified (an amount drawn on the commitment) or rejected (with a
reason); certified → paid (date and reference). No cycle: each status is reached once. The company's
members submit; the officers of the programme's region and staff certify, reject and record the
payment. The company gets a receipt and each decision, the region's officers an alert of each claim.

Programme: draft → open ⇄ closed (a cycle: a closed programme may open again) → settled (closed for
good from open or closed: unspent commitments released, frozen, never reopened — ProgrammeSettled);
staff and the officers of its region move it. A programme may be created open (the seeders, an import).
"""

from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.selectors.trend import forget_company_trend
from portal.money import ZERO
from portal.workflow import START, Move, Workflow
from regions.exceptions import AlreadyDecided, IllegalTransition, ProgrammeSettled
from regions.forms import AcceptForm, RefuseForm, ResubmitForm, SendBackForm
from regions.models import (
    ClaimTransition,
    Enrolment,
    EnrolmentTransition,
    LedgerEntry,
    PaymentClaim,
    Programme,
    ProgrammeTransition,
)
from regions.rules import (
    can_decide_enrolment,
    can_edit_application,
    can_manage_programme,
    can_process_claim,
    can_settle_programme,
    can_withdraw_enrolment,
)
from regions.services.audit import enrolment_state
from regions.services.claim_ledger import certify_effect, claim_state, pay_effect
from regions.services.ledger import add_to_totals, append_ledger, release_unspent
from regions.services.reassessment import schedule_reassessments
from regions.services.settlement import release_all_unspent
from regions.services.tranches import move_committed
from regions.tasks import send_transition_email

S = Enrolment.Status
LIVE_NOT_COMPLETED = (S.APPLIED, S.SENT_BACK, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS)


def _commit(enrolment, *, by, comment):
    """Acceptance: the amount set on the enrolment is committed on the programme's ledger and drawn
    on the tranche of its year (`budget_year`, checked by the service under the same lock)."""
    programme = enrolment.programme
    add_to_totals(programme=programme, committed=enrolment.committed_amount)
    move_committed(programme=programme, year=enrolment.budget_year, amount=enrolment.committed_amount)
    append_ledger(
        programme=programme,
        kind=LedgerEntry.Kind.COMMIT,
        amount=enrolment.committed_amount,
        by=by,
        enrolment=enrolment,
        comment=comment,
    )


def _release(enrolment, *, by, comment):
    """Completion or withdrawal: what was committed and not spent goes back to the programme."""
    if enrolment.committed_amount > ZERO:
        release_unspent(programme=enrolment.programme, enrolment=enrolment, by=by, comment=comment)


def _applied(enrolment, *, by, comment):
    """An application: its diagnostic becomes the company's T0 on its results page's trend."""
    transaction.on_commit(partial(forget_company_trend, enrolment.company_id))


def _complete(enrolment, *, by, comment):
    """Completion: the unspent commitment goes back, and the T1 and T2 re-assessments are scheduled."""
    _release(enrolment, by=by, comment=comment)
    schedule_reassessments(enrolment=enrolment, completed_on=timezone.localdate())


def _enrolment_refusal(current, target, enrolment):
    if target in (S.ACCEPTED, S.REFUSED) and current in Enrolment.DECIDED:
        return AlreadyDecided(
            gettext("This application has already been decided: %(status)s.") % {"status": S(current).label}
        )
    if current == S.WITHDRAWN:
        return AlreadyDecided(gettext("This application has been withdrawn."))
    return IllegalTransition(
        gettext("An application that is %(current)s cannot become %(next)s.")
        % {"current": S(current).label, "next": S(target).label}
    )


ENROLMENT = Workflow(
    model=Enrolment,
    record=EnrolmentTransition,
    record_fields=lambda enrolment: {"enrolment": enrolment},
    moves=[
        Move("apply", (START,), S.APPLIED, notify=True, effect=_applied),
        Move("review", (S.APPLIED,), S.UNDER_REVIEW, _("Start the review"), can_decide_enrolment),
        Move(
            "send_back",
            (S.APPLIED, S.UNDER_REVIEW),
            S.SENT_BACK,
            _("Send back for changes"),
            can_decide_enrolment,
            SendBackForm,
            notify=True,
            style="outline-secondary",
        ),
        Move(
            "resubmit",
            (S.SENT_BACK,),
            S.APPLIED,
            _("Send the application again"),
            can_edit_application,
            ResubmitForm,
            notify=True,  # a receipt again, and the officers' alert
        ),
        Move(
            "accept",
            (S.UNDER_REVIEW,),
            S.ACCEPTED,
            _("Accept and commit"),
            can_decide_enrolment,
            AcceptForm,
            notify=True,
            effect=_commit,
        ),
        Move(
            "refuse",
            (S.UNDER_REVIEW,),
            S.REFUSED,
            _("Refuse"),
            can_decide_enrolment,
            RefuseForm,
            notify=True,
            style="outline-danger",
        ),
        Move(
            "start", (S.ACCEPTED,), S.IN_PROGRESS, _("Mark the support as started"), can_decide_enrolment, notify=True
        ),
        Move(
            "complete",
            (S.IN_PROGRESS,),
            S.COMPLETED,
            _("Mark as completed"),
            can_decide_enrolment,
            notify=True,
            effect=_complete,
            note=_("What was committed and not spent goes back to the programme."),
        ),
        Move(
            "withdraw",
            LIVE_NOT_COMPLETED,
            S.WITHDRAWN,
            _("Withdraw"),
            can_withdraw_enrolment,
            effect=_release,
            style="outline-danger",
        ),
    ],
    # The programme is the one the service locked (set on the enrolment): its totals are the audited ones.
    audit_action=lambda status: f"enrolment.{status}",
    audit_state=lambda enrolment: enrolment_state(enrolment, enrolment.programme),
    audit_region=lambda enrolment: enrolment.programme.region_id,
    notify=send_transition_email,
    refusal=_enrolment_refusal,
    url=lambda enrolment, move: reverse("regions:enrolment_action", args=[enrolment.pk, move.name]),
    save_fields=["updated_at"],
)


P = Programme.Status


def _settle(programme, *, by, comment):
    """Closing for good: refused while applications wait for a decision; the unspent commitments go back."""
    release_all_unspent(programme, by=by, comment=comment)


def _programme_refusal(current, target, programme):
    if current == P.SETTLED:
        return ProgrammeSettled()
    return IllegalTransition(
        gettext("A programme that is %(current)s cannot become %(next)s.")
        % {"current": PROGRAMME.label(current), "next": PROGRAMME.label(target)}
    )


PROGRAMME = Workflow(
    model=Programme,
    record=ProgrammeTransition,
    record_fields=lambda programme: {"programme": programme},
    moves=[
        Move("create", (START,), P.DRAFT),
        Move("open", (START, P.DRAFT, P.CLOSED), P.OPEN, _("Open to applications"), can_manage_programme),
        Move("close", (START, P.OPEN), P.CLOSED, _("Close"), can_manage_programme, style="outline-danger"),
        Move(
            "settle",
            (P.OPEN, P.CLOSED),
            P.SETTLED,
            _("Close for good"),
            can_settle_programme,
            effect=_settle,
            page=True,  # a confirmation page says what will be released
            style="outline-danger",
            note=_("Unspent commitments go back, the programme is frozen and its closing statement is drawn."),
        ),
    ],
    audit_action=lambda status: "programme.status_changed",
    audit_region=lambda programme: programme.region_id,
    audit_comment=False,
    refusal=_programme_refusal,
    url=lambda programme, move: reverse(
        "regions:programme_settle" if move.name == "settle" else "regions:programme_status", args=[programme.pk]
    ),
    save_fields=["updated_at"],
)


C = PaymentClaim.Status


def _claim_refusal(current, target, claim):
    if current in (C.CERTIFIED, C.REJECTED, C.PAID) and target in (C.CERTIFIED, C.REJECTED):
        return AlreadyDecided(
            gettext("This claim has already been decided: %(status)s.") % {"status": C(current).label}
        )
    if current == C.PAID:
        return AlreadyDecided(gettext("This claim has already been paid."))
    return IllegalTransition(
        gettext("A claim that is %(current)s cannot become %(next)s.")
        % {"current": C(current).label, "next": C(target).label}
    )


CLAIM = Workflow(
    model=PaymentClaim,
    record=ClaimTransition,
    record_fields=lambda claim: {"claim": claim},
    moves=[
        Move("submit", (START,), C.SUBMITTED, notify=True),
        Move(
            "certify", (C.SUBMITTED,), C.CERTIFIED, _("Certify"), can_process_claim, notify=True, effect=certify_effect
        ),
        Move("reject", (C.SUBMITTED,), C.REJECTED, _("Reject"), can_process_claim, notify=True, style="outline-danger"),
        Move("pay", (C.CERTIFIED,), C.PAID, _("Record the payment"), can_process_claim, notify=True, effect=pay_effect),
    ],
    audit_action=lambda status: f"claim.{status}",
    audit_state=claim_state,
    audit_region=lambda claim: claim.enrolment.programme.region_id,
    notify="regions.tasks.send_claim_email",
    refusal=_claim_refusal,
    url=lambda claim, move: reverse("regions:claim_action", args=[claim.pk, move.name]),
    save_fields=["updated_at"],
)
