"""The enrolment workflow: apply, send back for changes and resubmit, review, accept (commit money)
or refuse, start, complete, withdraw.

Every step is a move of `regions.workflows.ENROLMENT` (the table, who may make each move, what else
it does, the audit entry and the company's e-mail). Locks are always taken in the same order: the
programme row, then the enrolment row, which carries the locked programme for the move; acceptance
then locks the company's undertaking (its SIREN's company rows) for the de minimis check.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Diagnostic
from diagnostics.selectors import latest_submitted
from diagnostics.selectors.results import forget_results
from portal.money import ZERO, format_eur, to_money
from regions import deminimis
from regions.board_cache import bump_board_version
from regions.cofunding import aid_asked, aid_for
from regions.eligibility import eligibility
from regions.exceptions import (
    AboveAidAsked,
    AlreadyApplied,
    BudgetExhausted,
    DeMinimisExceeded,
    InvalidAmount,
    InvalidInput,
    NotEligible,
)
from regions.models import Enrolment
from regions.services import tranches
from regions.services.ledger import lock_enrolment, lock_programme, positive_amount, refuse_if_settled
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
    bump_board_version(current.programme.region_id)
    return current


def _optional_amount(value, message):
    if value is None or value == "":
        return None
    amount = to_money(value)
    if amount is None or amount <= ZERO:
        raise InvalidAmount(message)
    return amount


def _outside_aid(value):
    amount = to_money(ZERO if value in (None, "") else value)
    if amount is None or amount < ZERO:
        raise InvalidAmount(_("Enter the de minimis aid received elsewhere in euros (zero or more)."))
    return amount


def _application_terms(programme, *, requested_amount, motivation, eligible_cost, declared_outside_aid):
    """The checked terms of an application (at its first sending and when it is sent again)."""
    amount = positive_amount(requested_amount)
    motivation = (motivation or "").strip()
    if not motivation:
        raise InvalidInput(_("Explain what the programme's support would be used for."))
    costs = _optional_amount(eligible_cost, _("Enter the eligible costs in euros (a positive amount)."))
    if amount > programme.cap_per_company:
        raise InvalidAmount(
            _("The amount asked is above the programme's cap per company (%(cap)s).")
            % {"cap": format_eur(programme.cap_per_company)}
        )
    if costs is not None:
        aid = aid_for(rate=programme.funding_rate, eligible_cost=costs, cap=programme.cap_per_company)
        if amount > aid:
            raise InvalidAmount(
                _(
                    "The amount asked is above the aid your eligible costs give at the programme's rate: at most %(aid)s."
                )
                % {"aid": format_eur(aid)}
            )
    return {
        "requested_amount": amount,
        "motivation": motivation,
        "eligible_cost": costs,
        "declared_outside_aid": _outside_aid(declared_outside_aid),
    }


@transaction.atomic
def apply_to_programme(
    *,
    programme,
    company,
    requested_amount,
    motivation,
    by,
    diagnostic=None,
    eligible_cost=None,
    declared_outside_aid=ZERO,
):
    """A company applies: eligibility checked, amount ≤ cap (and ≤ the programme's rate × the eligible
    costs when given), one live application per programme.

    The company's latest submitted diagnostic is attached unless another of its submitted
    diagnostics is given.
    """
    programme = lock_programme(programme.pk)  # a consistent view of status and cap against a concurrent close
    terms = _application_terms(
        programme,
        requested_amount=requested_amount,
        motivation=motivation,
        eligible_cost=eligible_cost,
        declared_outside_aid=declared_outside_aid,
    )
    latest = latest_submitted(company)
    if Enrolment.objects.filter(programme=programme, company=company, status__in=Enrolment.LIVE).exists():
        raise AlreadyApplied(_("Your company has already applied to this programme."))
    verdict = eligibility(programme, company, latest_diagnostic=latest, has_live_enrolment=False)
    if not verdict.eligible:
        raise NotEligible(verdict.reasons)
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
                cap_amount=programme.cap_per_company,
                applied_by=by,
                **terms,
            )
    except IntegrityError as error:  # a colleague's application landed first
        raise AlreadyApplied(_("Your company has already applied to this programme.")) from error
    ENROLMENT.start(enrolment, by=by)
    bump_board_version(programme.region_id)
    if enrolment.diagnostic_id:
        forget_results(enrolment.diagnostic_id)  # its results page lists the application
    return enrolment


@transaction.atomic
def start_review(*, enrolment, by, comment=""):
    """applied → under review."""
    return _step(enrolment, Status.UNDER_REVIEW, by=by, comment=comment)


@transaction.atomic
def send_back_enrolment(*, enrolment, message, by):
    """applied or under review → sent back for changes, with the message the company will read."""
    message = (message or "").strip()
    if not message:
        raise InvalidInput(_("Say what the company should change; it will read your message."))
    return _step(enrolment, Status.SENT_BACK, by=by, comment=message)


@transaction.atomic
def resubmit_enrolment(
    *, enrolment, by, requested_amount, motivation, eligible_cost=None, declared_outside_aid=ZERO, comment=""
):
    """sent back for changes → applied again, with the application's terms as the company changed them."""
    current = _locked(enrolment)
    ENROLMENT.check(current, Status.APPLIED)
    terms = _application_terms(
        current.programme,
        requested_amount=requested_amount,
        motivation=motivation,
        eligible_cost=eligible_cost,
        declared_outside_aid=declared_outside_aid,
    )
    ENROLMENT.move(
        current, Status.APPLIED, by=by, comment=comment, cap_amount=current.programme.cap_per_company, **terms
    )
    bump_board_version(current.programme.region_id)
    return current


def _check_de_minimis(enrolment, amount):
    """Refuse (DeMinimisExceeded) an aid that would take the company's undertaking over the ceiling.

    Lock order: every money service locks the programme, then the enrolment; only acceptance goes on
    to lock the undertaking (the company rows of the SIREN, in primary-key order), last. A transaction
    holding company rows therefore never waits for a programme or an enrolment, and two acceptances
    for one SIREN in two programmes (each holding its own programme) queue on the company rows: no
    cycle of waits, no deadlock. Under that lock, what the undertaking received cannot change until
    this transaction ends, so two concurrent acceptances cannot both fit under the ceiling.
    """
    siren = enrolment.company.siren
    deminimis.lock_undertaking(siren)
    received = deminimis.aid_on_portal(siren, since=deminimis.window_start()) + enrolment.declared_outside_aid
    ceiling = deminimis.ceiling()
    if received + amount > ceiling:
        raise DeMinimisExceeded(received=received, asked=amount, ceiling=ceiling)


@transaction.atomic
def accept_enrolment(*, enrolment, amount, by, comment="", eligible_cost=None):
    """under review → accepted, committing `amount`.

    `amount` ≤ the aid asked for (the amount asked, within the programme's rate × the eligible costs,
    which the officer may set here) ≤ the cap, ≤ what is left of the budget, and within the de minimis
    ceiling of the company. Under the programme's row lock: the enrolment's status is re-read (a
    decision is taken once) and the budget left is computed from the locked row. Raises
    BudgetExhausted ("Budget exhausted: 12,000 EUR left, 15,000 EUR asked"), TrancheExhausted (the
    tranche of the acceptance's year lacks money: "The 2026 tranche lacks 3,000 EUR…"), AboveAidAsked
    or DeMinimisExceeded and writes nothing when the money is not there.
    """
    amount = positive_amount(amount)
    costs = _optional_amount(eligible_cost, _("Enter the eligible costs in euros (a positive amount)."))
    current = _locked(enrolment)
    programme = current.programme
    refuse_if_settled(programme)
    ENROLMENT.check(current, Status.ACCEPTED)
    if amount > programme.cap_per_company:
        raise InvalidAmount(
            _("The amount is above the programme's cap per company (%(cap)s).")
            % {"cap": format_eur(programme.cap_per_company)}
        )
    if costs is not None:
        current.eligible_cost = costs
    aid = aid_asked(current, programme)
    if amount > aid:
        raise AboveAidAsked(aid=aid, asked=amount)
    left = programme.budget - programme.committed_total
    if amount > left:
        raise BudgetExhausted(left=left, asked=amount)
    year = tranches.acceptance_year()
    tranches.check_tranche(programme=programme, year=year, amount=amount)
    _check_de_minimis(current, amount)
    fields = {
        "committed_amount": amount,
        "budget_year": year,
        "cap_amount": programme.cap_per_company,
        "eligible_cost": current.eligible_cost,
    }
    ENROLMENT.move(current, Status.ACCEPTED, by=by, comment=comment, decided_by=by, decided_at=timezone.now(), **fields)
    bump_board_version(programme.region_id)
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
