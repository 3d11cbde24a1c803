"""The experts app's workflows (`portal.workflow`): an assignment's and an accreditation's.

Assignment: proposed → accepted or declined (the expert); accepted → in progress (the expert) →
done (the expert's review); cancelled from any live status (staff, the officers of the company's
region). No cycle: each status is reached once (a unique constraint on `AssignmentTransition`). The
people concerned are told by e-mail of every step.

Accreditation: an expert is referenced (from never, suspended or expired), renewed (referenced again
with a new date), suspended or expired, by Alliance staff; the expert is told by e-mail of each
change. Cycles are the point here (suspended, then referenced again).
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from experts import audit
from experts.exceptions import IllegalTransition
from experts.models import Accreditation, AccreditationTransition, Assignment, AssignmentTransition
from experts.rules import (
    can_cancel_assignment,
    can_manage_accreditations,
    can_respond_to_assignment,
    can_write_review,
)
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


A = Accreditation.Status


def _accreditation_refusal(current, target, accreditation):
    return IllegalTransition(
        gettext("An accreditation cannot go from “%(from)s” to “%(to)s”.")
        % {
            "from": A(current).label if current else gettext("not referenced"),
            "to": A(target).label if target in A.values else target,
        }
    )


ACCREDITATION = Workflow(
    model=Accreditation,
    record=AccreditationTransition,
    record_fields=lambda accreditation: {"expert": accreditation.expert, "valid_until": accreditation.valid_until},
    moves=[
        Move(
            "reference",
            (START, A.SUSPENDED, A.EXPIRED),
            A.REFERENCED,
            _("Reference"),
            can_manage_accreditations,
            notify=True,
        ),
        Move("renew", (A.REFERENCED,), A.REFERENCED, _("Renew"), can_manage_accreditations, notify=True),
        Move("suspend", (A.REFERENCED,), A.SUSPENDED, _("Suspend"), can_manage_accreditations, notify=True),
        Move("expire", (A.REFERENCED, A.SUSPENDED), A.EXPIRED, _("Expire"), can_manage_accreditations, notify=True),
    ],
    audit_action=lambda status: audit.ACCREDITATION,
    audit_state=lambda accreditation: {"status": accreditation.status, "valid_until": accreditation.valid_until},
    audit_subject=lambda accreditation: accreditation.expert,
    notify="experts.tasks.notify_accreditation_change",
    refusal=_accreditation_refusal,
    save_fields=["comment"],  # the comment of the latest change, set by the service
)
