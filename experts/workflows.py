"""The experts app's workflows (`portal.workflow`): an assignment's and an accreditation's.

Assignment: proposed → accepted or declined (the expert); accepted → in progress (the expert) →
done (the expert's review); cancelled from any live status (staff, the officers of the company's
region). No cycle: each status is reached once (a unique constraint on `AssignmentTransition`). The
people concerned are told by e-mail of every step.
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts import audit
from experts.exceptions import IllegalTransition
from experts.models import Assignment, AssignmentTransition
from experts.rules import can_cancel_assignment, can_respond_to_assignment, can_write_review
from portal.workflow import START, Move, Workflow

S = Assignment.Status


def _assignment_refusal(current, target, assignment):
    return IllegalTransition(
        gettext("A %(from)s assignment cannot become %(to)s.") % {"from": S(current).label, "to": S(target).label}
    )


ASSIGNMENT = Workflow(
    model=Assignment,
    record=AssignmentTransition,
    record_fields=lambda assignment: {"assignment": assignment},
    moves=[
        Move("propose", (START,), S.PROPOSED, notify=True),
        Move("accept", (S.PROPOSED,), S.ACCEPTED, _("Accept"), can_respond_to_assignment, notify=True),
        Move(
            "decline",
            (S.PROPOSED,),
            S.DECLINED,
            _("Decline"),
            can_respond_to_assignment,
            notify=True,
            page=True,
            style="outline-secondary",
        ),
        Move("start", (S.ACCEPTED,), S.IN_PROGRESS, _("Start"), can_respond_to_assignment, notify=True),
        # The review's own audit entry covers this step (experts.services.reviews).
        Move(
            "review",
            (S.IN_PROGRESS,),
            S.DONE,
            _("Write the review"),
            can_write_review,
            notify=True,
            audited=False,
            page=True,
        ),
        Move(
            "cancel",
            tuple(Assignment.LIVE),
            S.CANCELLED,
            _("Cancel the assignment"),
            can_cancel_assignment,
            notify=True,
            page=True,
            style="outline-danger",
        ),
    ],
    audit_action=audit.step_action,
    audit_region=lambda assignment: assignment.company.region_id,
    notify="experts.tasks.notify_assignment_transition",
    refusal=_assignment_refusal,
    url=lambda assignment, move: reverse(f"experts:{move.name}", args=[assignment.pk]),
    save_fields=["updated_at"],
)
