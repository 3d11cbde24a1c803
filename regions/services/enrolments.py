"""The enrolment workflow: apply, review, accept (commit money) or refuse, start, complete, withdraw.

Every step goes through `_move`, which checks the one transition table (`Enrolment.TRANSITIONS`)
against the status re-read under lock and records the transition. Locks are always taken in the
same order: the programme row, then the enrolment row. Each step writes one entry of the portal's
audit trail, with the money it moved (`regions.services.audit.record_enrolment`).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Diagnostic
from diagnostics.selectors import latest_submitted
from portal.money import ZERO, format_eur
from regions.eligibility import eligibility
from regions.exceptions import (
    AlreadyApplied,
    AlreadyDecided,
    BudgetExhausted,
    IllegalTransition,
    InvalidAmount,
    InvalidInput,
    NotEligible,
)
from regions.models import Enrolment, EnrolmentTransition, LedgerEntry
from regions.services.audit import enrolment_state, record_enrolment
from regions.services.ledger import (
    add_to_totals,
    append_ledger,
    lock_enrolment,
    lock_programme,
    positive_amount,
    release_unspent,
)

Status = Enrolment.Status
# Transitions the company is told about by e-mail.
NOTIFIED = {Status.ACCEPTED, Status.REFUSED, Status.IN_PROGRESS, Status.COMPLETED}


def _notify_after_commit(transition):
    if transition.to_status not in NOTIFIED:
        return
    from regions.tasks import send_transition_email

    transaction.on_commit(lambda: send_transition_email.delay(transition.pk))


def _record(enrolment, *, from_status, to_status, by, comment=""):
    transition = EnrolmentTransition.objects.create(
        enrolment=enrolment, from_status=from_status, to_status=to_status, by=by, comment=(comment or "")[:2000]
    )
    _notify_after_commit(transition)
    return transition


def _check_move(current, to_status):
    """Raise a clear error when the table does not allow `current.status` → `to_status`."""
    if current.can_become(to_status):
        return
    if to_status in (Status.ACCEPTED, Status.REFUSED) and current.status in Enrolment.DECIDED:
        raise AlreadyDecided(
            _("This application has already been decided: %(status)s.") % {"status": current.get_status_display()}
        )
    if current.status == Status.WITHDRAWN:
        raise AlreadyDecided(_("This application has been withdrawn."))
    raise IllegalTransition(
        _("An application that is %(current)s cannot become %(next)s.")
        % {"current": current.get_status_display(), "next": Status(to_status).label}
    )


def _move(current, to_status, *, by, comment="", **fields):
    """Check and apply one transition on the locked enrolment, with extra fields, and record it."""
    _check_move(current, to_status)
    from_status = current.status
    current.status = to_status
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=["status", "updated_at", *fields])
    return _record(current, from_status=from_status, to_status=to_status, by=by, comment=comment)


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
    _record(enrolment, from_status="", to_status=Status.APPLIED, by=by)
    record_enrolment(enrolment=enrolment, programme=programme, by=by, before=None)
    return enrolment


@transaction.atomic
def start_review(*, enrolment, by, comment=""):
    """applied → under review."""
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    before = enrolment_state(current, programme)
    _move(current, Status.UNDER_REVIEW, by=by, comment=comment)
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=comment)
    return current


@transaction.atomic
def accept_enrolment(*, enrolment, amount, by, comment=""):
    """under review → accepted, committing `amount` (≤ the cap, ≤ what is left of the budget).

    Under the programme's row lock: the enrolment's status is re-read (a decision is taken once)
    and the budget left is computed from the locked row. Raises BudgetExhausted ("Budget exhausted:
    12,000 EUR left, 15,000 EUR asked") and writes nothing when the money is not there.
    """
    amount = positive_amount(amount)
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    _check_move(current, Status.ACCEPTED)
    if amount > programme.cap_per_company:
        raise InvalidAmount(
            _("The amount is above the programme's cap per company (%(cap)s).")
            % {"cap": format_eur(programme.cap_per_company)}
        )
    left = programme.budget - programme.committed_total
    if amount > left:
        raise BudgetExhausted(left=left, asked=amount)
    before = enrolment_state(current, programme)
    _move(
        current,
        Status.ACCEPTED,
        by=by,
        comment=comment,
        committed_amount=amount,
        cap_amount=programme.cap_per_company,
        decided_by=by,
        decided_at=timezone.now(),
    )
    add_to_totals(programme=programme, committed=amount)
    append_ledger(
        programme=programme, kind=LedgerEntry.Kind.COMMIT, amount=amount, by=by, enrolment=current, comment=comment
    )
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=comment)
    return current


@transaction.atomic
def refuse_enrolment(*, enrolment, reason, by):
    """under review → refused, with the reason the company will read."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the refusal; the company will read it."))
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    before = enrolment_state(current, programme)
    _move(
        current, Status.REFUSED, by=by, comment=reason, refusal_reason=reason, decided_by=by, decided_at=timezone.now()
    )
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=reason)
    return current


@transaction.atomic
def start_enrolment(*, enrolment, by, comment=""):
    """accepted → in progress (the support has started)."""
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    before = enrolment_state(current, programme)
    _move(current, Status.IN_PROGRESS, by=by, comment=comment)
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=comment)
    return current


@transaction.atomic
def complete_enrolment(*, enrolment, by, comment=""):
    """in progress → completed; what was committed and not spent goes back to the programme."""
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    before = enrolment_state(current, programme)
    _move(current, Status.COMPLETED, by=by, comment=comment)
    release_unspent(programme=programme, enrolment=current, by=by, comment=comment)
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=comment)
    return current


@transaction.atomic
def withdraw_enrolment(*, enrolment, by, comment=""):
    """Any live, not completed enrolment → withdrawn; an unspent commitment goes back to the programme."""
    programme = lock_programme(enrolment.programme_id)
    current = lock_enrolment(enrolment.pk)
    before = enrolment_state(current, programme)
    _move(current, Status.WITHDRAWN, by=by, comment=comment)
    if current.committed_amount > ZERO:
        release_unspent(programme=programme, enrolment=current, by=by, comment=comment)
    record_enrolment(enrolment=current, programme=programme, by=by, before=before, comment=comment)
    return current
