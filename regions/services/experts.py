"""Experts proposed from an enrolment, and the cost of their visits booked on it.

The experts app knows nothing of programmes: the link between an assignment and the enrolment it was
proposed from lives here (`EnrolmentAssignment`), and the experts app's `visit_logged` event (sent
after commit with the visit's id) books the visit's cost (days × the expert's day rate, stored on the
visit) on that enrolment.
"""

import logging

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import formats
from django.utils.translation import gettext as _

from experts import services as experts_services
from experts.models import Visit
from portal.background import SWEEP_BATCH, enqueue
from portal.errors import ServiceError
from regions.exceptions import ExpenseAlreadyBooked, ExpertProposalRefused, IllegalTransition
from regions.models import Enrolment, EnrolmentAssignment, Expense
from regions.services.enrolments import start_enrolment
from regions.services.ledger import book_expense

logger = logging.getLogger("regions.visits")


def propose_expert(*, enrolment, expert, by, due_date=None, brief=""):
    """Propose `expert` to the enrolled company through the experts app, and link the assignment to
    the enrolment so that its visits are booked on it. Accepted or in-progress enrolments only.

    A conflict of interest the expert declared with the company is refused first, and audited, before
    this proposal's transaction opens (the experts app's `refuse_declared_conflict`)."""
    experts_services.refuse_declared_conflict(expert=expert, company=enrolment.company, by=by)
    return _propose_expert(enrolment=enrolment, expert=expert, by=by, due_date=due_date, brief=brief)


@transaction.atomic
def _propose_expert(*, enrolment, expert, by, due_date, brief):
    current = Enrolment.objects.select_for_update(of=("self",)).select_related("company").get(pk=enrolment.pk)
    if current.status not in Enrolment.BOOKABLE:
        raise IllegalTransition(
            _("Experts are proposed for accepted or in-progress enrolments; this one is %(status)s.")
            % {"status": current.get_status_display()}
        )
    try:
        assignment = experts_services.propose_assignment(
            company=current.company, expert=expert, by=by, due_date=due_date, diagnostic=current.diagnostic, brief=brief
        )
    except ServiceError as error:
        raise ExpertProposalRefused(error.message) from error
    EnrolmentAssignment.objects.create(enrolment=current, assignment=assignment, created_by=by)
    return assignment


def enrolment_for_visit(visit):
    """The enrolment a visit's cost goes to: the one its assignment was proposed from; otherwise the
    company's only accepted or in-progress enrolment (an expert proposed from the experts pages)."""
    link = EnrolmentAssignment.objects.filter(assignment_id=visit.assignment_id).select_related("enrolment").first()
    if link is not None:
        return link.enrolment
    candidates = list(
        Enrolment.objects.filter(company_id=visit.assignment.company_id, status__in=Enrolment.BOOKABLE)[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def enqueue_unbooked_visits(since, until):
    """The sweeper of visit costs: enqueue the booking again for the visits logged between the two moments
    whose cost has no expense yet and that have an enrolment to book on (their message was lost)."""
    from regions.tasks import book_visit_cost

    booked = Expense.objects.filter(source_reference=Concat(Value("visit:"), Cast(OuterRef("pk"), CharField())))
    bookable = Enrolment.objects.filter(company_id=OuterRef("assignment__company_id"), status__in=Enrolment.BOOKABLE)
    visits = (
        Visit.objects.filter(logged_at__gte=since, logged_at__lt=until, cost__gt=0)
        .filter(Q(assignment__enrolment_link__isnull=False) | Exists(bookable))
        .exclude(Exists(booked))
        .order_by("logged_at", "pk")
    )
    return sum(enqueue(book_visit_cost, pk) for pk in visits.values_list("pk", flat=True)[:SWEEP_BATCH])


def book_visit_cost(*, visit_id):
    """Book a logged visit's cost on its enrolment, once (the expense's source is "visit:<id>").

    Returns the expense, or None when there is nothing to book: no enrolment to book on, already
    booked, or the cost would exceed what was committed (logged, for the officer to book by hand).
    An accepted enrolment whose first visit is booked becomes in progress.
    """
    visit = Visit.objects.select_related("assignment__expert__user").filter(pk=visit_id).first()
    if visit is None or visit.cost <= 0:
        return None
    enrolment = enrolment_for_visit(visit)
    if enrolment is None:
        logger.info("Visit %s: no enrolment to book its cost on", visit_id)
        return None
    expert = visit.assignment.expert
    label = _("Visit of %(expert)s on %(date)s (%(days)s days)") % {
        "expert": expert.user.get_full_name() or expert.user.email,
        "date": formats.date_format(visit.date, "SHORT_DATE_FORMAT"),
        "days": formats.number_format(visit.days, decimal_pos=2 if visit.days % 1 else 0),
    }
    try:
        with transaction.atomic():
            expense = book_expense(
                enrolment=enrolment,
                kind=Expense.Kind.VISIT,
                amount=visit.cost,
                label=label,
                incurred_on=visit.date,
                by=visit.logged_by,
                source_reference=f"visit:{visit.pk}",
            )
            if enrolment.status == Enrolment.Status.ACCEPTED:
                start_enrolment(enrolment=enrolment, by=visit.logged_by, comment=_("First expert visit booked."))
    except ExpenseAlreadyBooked:
        return None
    except ServiceError as error:
        logger.warning("Visit %s not booked on enrolment %s: %s", visit_id, enrolment.pk, error)
        return None
    return expense
