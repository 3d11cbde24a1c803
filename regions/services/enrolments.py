"""The enrolment workflow: apply, review, accept (commit money) or refuse, start, complete, withdraw.

Every step is a move of `regions.workflows.ENROLMENT` (the table, who may make each move, what else
it does, the audit entry and the company's e-mail). Locks are always taken in the same order: the
programme row, then the enrolment row, which carries the locked programme for the move.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Diagnostic
from diagnostics.selectors import latest_submitted
from portal.money import format_eur
from regions.eligibility import eligibility
from regions.exceptions import AlreadyApplied, BudgetExhausted, InvalidAmount, InvalidInput, NotEligible
from regions.models import Enrolment
from regions.services.ledger import lock_enrolment, lock_programme, positive_amount
from regions.workflows import ENROLMENT

Status = Enrolment.Status


def _locked(enrolment):
    """The programme, then the enrolment, re-read under their row locks."""
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    current.programme = programme
    return current


def _step(enrolment, to_status, *, by, comment="", **fields):
    current = _locked(enrolment)
    ENROLMENT.move(current, to_status, by=by, comment=comment, **fields)
    return current


@transaction.atomic
def apply_to_programme(*, programme, company, requested_amount, motivation, by, diagnostic=None):
    """A company applies: eligibility checked, amount ≤ cap, one live application per programme.

    The company's latest submitted diagnostic is attached unless another of its submitted
    diagnostics is given.
    """
    programme = lock_programme(programme.pk)  # a consistent view of status and cap against a concurrent close
    amount = positive_amount(requested_amount)
    motivation = (motivation or "").strip()
    if not motivation:
        raise InvalidInput(_("Explain what the programme's support would be used for."))
    latest = latest_submitted(company)
    if Enrolment.objects.filter(programme=programme, company=company, status__in=Enrolment.LIVE).exists():
        raise AlreadyApplied(_("Your company has already applied to this programme."))
    verdict = eligibility(programme, company, latest_diagnostic=latest, has_live_enrolment=False)
    if not verdict.eligible:
        raise NotEligible(verdict.reasons)
    if amount > programme.cap_per_company:
        raise InvalidAmount(
            _("The amount asked is above the programme's cap per company (%(cap)s).")
            % {"cap": format_eur(programme.cap_per_company)}
        )
    if diagnostic is not None and (
        diagnostic.company_id != company.pk or diagnostic.status != Diagnostic.Status.SUBMITTED
    ):
        raise InvalidInput(_("Attach one of your company's submitted diagnostics."))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                programme=programme,
                company=company,
                diagnostic=diagnostic or latest,
                requested_amount=amount,
                motivation=motivation,
                cap_amount=programme.cap_per_company,
                applied_by=by,
            )
    except IntegrityError as error:  # a colleague's application landed first
        raise AlreadyApplied(_("Your company has already applied to this programme.")) from error
    ENROLMENT.start(enrolment, by=by)
    return enrolment


@transaction.atomic
def start_review(*, enrolment, by, comment=""):
    """applied → under review."""
    return _step(enrolment, Status.UNDER_REVIEW, by=by, comment=comment)


@transaction.atomic
def accept_enrolment(*, enrolment, amount, by, comment=""):
    """under review → accepted, committing `amount` (≤ the cap, ≤ what is left of the budget).

    Under the programme's row lock: the enrolment's status is re-read (a decision is taken once)
    and the budget left is computed from the locked row. Raises BudgetExhausted ("Budget exhausted:
    12,000 EUR left, 15,000 EUR asked") and writes nothing when the money is not there.
    """
    amount = positive_amount(amount)
    current = _locked(enrolment)
    programme = current.programme
    ENROLMENT.check(current, Status.ACCEPTED)
    if amount > programme.cap_per_company:
        raise InvalidAmount(
            _("The amount is above the programme's cap per company (%(cap)s).")
            % {"cap": format_eur(programme.cap_per_company)}
        )
    left = programme.budget - programme.committed_total
    if amount > left:
        raise BudgetExhausted(left=left, asked=amount)
    fields = {"committed_amount": amount, "cap_amount": programme.cap_per_company}
    ENROLMENT.move(current, Status.ACCEPTED, by=by, comment=comment, decided_by=by, decided_at=timezone.now(), **fields)
    return current


@transaction.atomic
def refuse_enrolment(*, enrolment, reason, by):
    """under review → refused, with the reason the company will read."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the refusal; the company will read it."))
    decision = {"refusal_reason": reason, "decided_by": by, "decided_at": timezone.now()}
    return _step(enrolment, Status.REFUSED, by=by, comment=reason, **decision)


@transaction.atomic
def start_enrolment(*, enrolment, by, comment=""):
    """accepted → in progress (the support has started)."""
    return _step(enrolment, Status.IN_PROGRESS, by=by, comment=comment)


@transaction.atomic
def complete_enrolment(*, enrolment, by, comment=""):
    """in progress → completed; what was committed and not spent goes back to the programme."""
    return _step(enrolment, Status.COMPLETED, by=by, comment=comment)


@transaction.atomic
def withdraw_enrolment(*, enrolment, by, comment=""):
    """Any live, not completed enrolment → withdrawn; an unspent commitment goes back to the programme."""
    return _step(enrolment, Status.WITHDRAWN, by=by, comment=comment)
