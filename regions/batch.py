"""Batch decisions: one application after the other, each through the same service as a single
decision (its own transaction, its own locks, its own checks), the outcome of each reported."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.errors import ServiceError
from regions import services
from regions.cofunding import aid_asked
from regions.models import Enrolment, Programme

ACCEPTED, REFUSED, SKIPPED = "accepted", "refused", "skipped"
LABELS = {ACCEPTED: _("accepted"), REFUSED: _("refused"), SKIPPED: _("skipped")}


@dataclass
class BatchOutcome:
    enrolment: Enrolment
    result: str  # ACCEPTED, REFUSED or SKIPPED
    detail: str = ""  # why it was skipped
    amount: object = None  # what was committed

    @property
    def label(self):
        return LABELS[self.result]


def decide_one(enrolment, *, decision, reason, by):
    """Accept `enrolment` at the aid it asks for (within what the budget has left is the service's
    check), or refuse it with `reason`; a refusal of the service is reported as skipped."""
    try:
        if decision == "accept":
            programme = Programme.objects.get(pk=enrolment.programme_id)
            amount = aid_asked(Enrolment.objects.get(pk=enrolment.pk), programme)
            services.accept_enrolment(enrolment=enrolment, amount=amount, by=by)
            return BatchOutcome(enrolment, ACCEPTED, amount=amount)
        services.refuse_enrolment(enrolment=enrolment, reason=reason, by=by)
        return BatchOutcome(enrolment, REFUSED)
    except ServiceError as error:
        return BatchOutcome(enrolment, SKIPPED, detail=error.message)
