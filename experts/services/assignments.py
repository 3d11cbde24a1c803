"""The assignment workflow (proposed → accepted | declined; accepted → in progress → done; cancelled
from any live status) and the visits logged on an assignment.

Every transition is a move of `experts.workflows.ASSIGNMENT`, which checks the table, records who,
when, from, to and why, writes the audit entry and sends the e-mails after commit. Services that could exceed the expert's
capacity lock the expert row first (`select_for_update`), then the assignment row, and re-check the
state under the locks: two accepts racing for the last free place cannot both succeed.
"""

from datetime import date as date_type
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diagnostics.selectors import latest_submitted
from experts import audit
from experts.events import visit_logged
from experts.exceptions import (
    CapacityReached,
    DuplicateAssignment,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotReferenced,
)
from experts.models import MAX_VISIT_DAYS, Assignment, Expert, Visit
from experts.rules import can_cancel_assignment, can_log_visit, can_propose_assignment, can_respond_to_assignment
from experts.services.conflicts import refuse_declared_conflict
from experts.workflows import ASSIGNMENT
from portal.audit import record
from portal.money import CENT

MIN_VISIT_DAYS = Decimal("0.25")


def _status_label(status):
    return Assignment.Status(status).label if status in Assignment.Status.values else str(status)


def _locked_expert(expert_id):
    return Expert.objects.select_for_update().get(pk=expert_id)


def _locked_assignment(assignment_id):
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert__user", "company")
        .get(pk=assignment_id)
    )


def _is_referenced(expert):
    return Expert.objects.referenced().filter(pk=expert.pk).exists()


def _active_count(expert):
    return Assignment.objects.filter(expert=expert, status__in=Assignment.ACTIVE).count()


def propose_assignment(*, company, expert, by, due_date=None, diagnostic=None, brief="", notify=True):
    """Propose a referenced expert with a free place to a company; the expert is told by e-mail.

    Staff or an officer of the company's region only. Without `diagnostic`, the company's latest
    submitted diagnostic (if any) is the one the expert will validate. An expert who declared a
    conflict of interest with the company is refused (`ConflictOfInterestDeclared`), the refusal
    audited before the proposal's own transaction opens.
    """
    refuse_declared_conflict(expert=expert, company=company, by=by)
    return _propose_assignment(
        company=company, expert=expert, by=by, due_date=due_date, diagnostic=diagnostic, brief=brief, notify=notify
    )


@transaction.atomic
def _propose_assignment(*, company, expert, by, due_date, diagnostic, brief, notify):
    if not can_propose_assignment.test(by, company):
        raise NotAllowed(_("Only Alliance staff and the officers of the company's region may propose an expert."))
    if due_date is not None and due_date < timezone.localdate():
        raise InvalidInput(_("The due date cannot be in the past."))
    if diagnostic is not None and diagnostic.company_id != company.pk:
        raise InvalidInput(_("This diagnostic belongs to another company."))
    expert = _locked_expert(expert.pk)
    if not _is_referenced(expert):
        raise NotReferenced(_("%(expert)s is not referenced at the moment.") % {"expert": expert.name})
    if _active_count(expert) >= expert.capacity:
        raise CapacityReached(_("%(expert)s has no free place at the moment.") % {"expert": expert.name})
    if Assignment.objects.filter(expert=expert, company=company, status__in=Assignment.LIVE).exists():
        raise DuplicateAssignment(
            _("%(expert)s already has an assignment under way at %(company)s.")
            % {"expert": expert.name, "company": company.name}
        )
    if diagnostic is None:
        diagnostic = latest_submitted(company)
    brief = (brief or "").strip()
    assignment = Assignment.objects.create(
        expert=expert,
        company=company,
        diagnostic=diagnostic,
        due_date=due_date,
        brief=brief,
        proposed_by=by,
    )
    ASSIGNMENT.start(assignment, by=by, comment=brief, notify=notify, at=assignment.proposed_at)
    return assignment


@transaction.atomic
def accept_assignment(*, assignment, by, notify=True):
    """The expert accepts a proposed assignment, if still referenced and a place is free.

    Locks the expert row, then the assignment, and re-checks status and capacity under the locks.
    """
    expert = _locked_expert(assignment.expert_id)
    row = _locked_assignment(assignment.pk)
    if not can_respond_to_assignment.test(by, row):
        raise NotAllowed(_("Only the expert proposed may accept this assignment."))
    ASSIGNMENT.check(row, Assignment.Status.ACCEPTED)
    if not _is_referenced(expert):
        raise NotReferenced(_("Your accreditation is not valid at the moment; you cannot accept assignments."))
    if _active_count(expert) >= expert.capacity:
        raise CapacityReached(
            ngettext(
                "You already have %(count)s active assignment, your capacity. Finish it or raise your capacity first.",
                "You already have %(count)s active assignments, your capacity. Finish one or raise your capacity first.",
                expert.capacity,
            )
            % {"count": expert.capacity}
        )
    ASSIGNMENT.move(row, Assignment.Status.ACCEPTED, by=by, notify=notify)
    return row


@transaction.atomic
def decline_assignment(*, assignment, by, reason, notify=True):
    """The expert declines a proposed assignment, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why you decline: the officer will read it."))
    row = _locked_assignment(assignment.pk)
    if not can_respond_to_assignment.test(by, row):
        raise NotAllowed(_("Only the expert proposed may decline this assignment."))
    ASSIGNMENT.move(row, Assignment.Status.DECLINED, by=by, comment=reason, notify=notify, decline_reason=reason)
    return row


@transaction.atomic
def start_assignment(*, assignment, by, notify=True):
    """The expert starts an accepted assignment (it is then in progress)."""
    row = _locked_assignment(assignment.pk)
    if not can_respond_to_assignment.test(by, row):
        raise NotAllowed(_("Only the assigned expert may start this assignment."))
    ASSIGNMENT.move(row, Assignment.Status.IN_PROGRESS, by=by, notify=notify)
    return row


@transaction.atomic
def cancel_assignment(*, assignment, by, reason="", notify=True):
    """Staff or an officer of the company's region cancels a live assignment (its place is freed)."""
    row = _locked_assignment(assignment.pk)
    if not can_cancel_assignment.test(by, row):
        raise NotAllowed(_("Only Alliance staff and the officers of the company's region may cancel an assignment."))
    ASSIGNMENT.move(row, Assignment.Status.CANCELLED, by=by, comment=reason, notify=notify)
    return row


def _days(value):
    try:
        days = Decimal(str(value))
    except (InvalidOperation, TypeError) as error:
        raise InvalidInput(_("Give the days spent as a number, e.g. 0.5 or 1.")) from error
    if not MIN_VISIT_DAYS <= days <= MAX_VISIT_DAYS or days != days.quantize(CENT):
        raise InvalidInput(
            _("The days spent are between %(min)s and %(max)s, at most two decimals.")
            % {"min": MIN_VISIT_DAYS, "max": MAX_VISIT_DAYS}
        )
    return days


@transaction.atomic
def log_visit(*, assignment, by, date, days, summary):
    """The expert logs a visit on an accepted or in-progress assignment.

    The cost (days × the expert's day rate, to the cent) is stored on the visit. Once committed,
    `events.visit_logged` is sent with the visit's id, so the regions app can book it.
    """
    days = _days(days)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("Summarise what was done during the visit."))
    if not isinstance(date, date_type) or date > timezone.localdate():
        raise InvalidInput(_("The date of a visit cannot be in the future."))
    row = _locked_assignment(assignment.pk)
    if not can_log_visit.test(by, row):
        raise NotAllowed(_("Only the assigned expert may log visits."))
    if row.status not in Assignment.VISITABLE:
        raise IllegalTransition(
            _("Visits are logged on accepted or in-progress assignments; this one is %(status)s.")
            % {"status": _status_label(row.status)}
        )
    if date < timezone.localtime(row.proposed_at).date():
        raise InvalidInput(_("The visit cannot be before the assignment was proposed."))
    rate = row.expert.day_rate
    visit = Visit.objects.create(
        assignment=row,
        date=date,
        days=days,
        summary=summary,
        day_rate=rate,
        cost=(days * rate).quantize(CENT, rounding=ROUND_HALF_UP),
        logged_by=by,
    )
    record(
        action=audit.VISIT,
        subject=row,
        by=by,
        after={"visit": visit.pk, "date": date, "days": days, "day_rate": rate, "cost": visit.cost},
        region=row.company.region_id,
    )
    transaction.on_commit(partial(visit_logged.send, sender=Visit, visit_id=visit.pk))
    return visit
