"""The experts app on the portal's audit trail (`portal.audit`): what its services record, and the
check that the current state is the last audited one.

Services call `portal.audit.record` inside their transaction, after their own row locks:
- `accreditation.changed` on the expert (before/after: status and validity date);
- `assignment.<status>` on the assignment for each step (proposed, accepted, declined, in progress,
  cancelled), before/after: status;
- `visit.logged` on the assignment (the visit's date, days, day rate and cost);
- `review.submitted` on the assignment: the validated levels and the step to done, in one entry;
- `conflict.declared` / `conflict.withdrawn` on the expert (the SIREN and the note), and
  `assignment.refused_conflict` on the expert when a proposal to a company they declared a conflict
  with is refused (the SIREN, who proposed; with the company's region).
Entries about an assignment carry the company's region, so that its officers read them.

`verify_state` (registered into `portal.audit` from `ExpertsConfig.ready()`, run by
`manage.py verify_audit`) reports an accreditation, an assignment status, a visit or a submitted
review changed behind the services' back.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.audit import Problem, decoded
from portal.models import AuditEntry

ACCREDITATION = "accreditation.changed"
VISIT = "visit.logged"
REVIEW = "review.submitted"
CONFLICT_REFUSED = "assignment.refused_conflict"
CONFLICT_DECLARED = "conflict.declared"
CONFLICT_WITHDRAWN = "conflict.withdrawn"


def step_action(status):
    return f"assignment.{status}"


ACTIONS = {
    ACCREDITATION: _("accreditation changed"),
    step_action("proposed"): _("expert proposed"),
    step_action("accepted"): _("assignment accepted"),
    step_action("declined"): _("assignment declined"),
    step_action("in_progress"): _("assignment started"),
    step_action("cancelled"): _("assignment cancelled"),
    step_action("done"): _("assignment done"),
    VISIT: _("visit logged"),
    REVIEW: _("review submitted"),
    CONFLICT_REFUSED: _("assignment refused: conflict of interest"),
    CONFLICT_DECLARED: _("conflict of interest declared"),
    CONFLICT_WITHDRAWN: _("conflict of interest withdrawn"),
}


def _audited():
    """What the trail last says of each expert and assignment (one pass over the experts' entries)."""
    accreditations, statuses, reviews, visits = {}, {}, {}, defaultdict(dict)
    entries = (
        AuditEntry.objects.filter(subject_app="experts")
        .order_by("seq")
        .values_list("subject_model", "subject_pk", "action", "after")
    )
    for model, pk, action, after in entries.iterator(chunk_size=2000):
        after = decoded(after) or {}
        if model == "expert" and action == ACCREDITATION:
            accreditations[pk] = after
        elif model == "assignment":
            if "status" in after:
                statuses[pk] = after["status"]
            if action == REVIEW:
                reviews[pk] = after
            elif action == VISIT:
                visits[pk][after["visit"]] = after
    return accreditations, statuses, reviews, visits


def verify_state():
    """Problems where the experts' current rows differ from the last audited change."""
    from experts.models import Accreditation, Assignment, ExpertReview, ReviewAxis, Visit

    accreditations, statuses, reviews, visits = _audited()
    problems = []
    for accreditation in Accreditation.objects.values("expert_id", "status", "valid_until"):
        audited = accreditations.get(str(accreditation["expert_id"]))
        current = {"status": accreditation["status"], "valid_until": accreditation["valid_until"].isoformat()}
        if audited is None or {"status": audited["status"], "valid_until": audited["valid_until"]} != current:
            problems.append(
                Problem(
                    "the current accreditation differs from the last audited change",
                    subject=f"experts.expert:{accreditation['expert_id']}",
                )
            )

    levels = defaultdict(dict)
    for row in ReviewAxis.objects.filter(review__status=ExpertReview.Status.SUBMITTED).values(
        "review__assignment_id", "axis_code", "validated_level"
    ):
        levels[row["review__assignment_id"]][row["axis_code"]] = row["validated_level"]
    current_visits = defaultdict(list)
    for visit in Visit.objects.values("pk", "assignment_id", "days", "cost"):
        current_visits[visit["assignment_id"]].append(visit)

    for assignment in Assignment.objects.values("pk", "status"):
        key, subject = str(assignment["pk"]), f"experts.assignment:{assignment['pk']}"
        if statuses.get(key) != assignment["status"]:
            problems.append(Problem("the assignment's status differs from its last audited step", subject=subject))
        if assignment["status"] == Assignment.Status.DONE:
            review = reviews.get(key)
            if review is None or review["levels"] != levels.get(assignment["pk"], {}):
                problems.append(Problem("the submitted review differs from the audited one", subject=subject))
        for visit in current_visits.get(assignment["pk"], []):
            audited = visits.get(key, {}).get(visit["pk"])
            if audited is None or (Decimal(audited["days"]), Decimal(audited["cost"])) != (
                visit["days"],
                visit["cost"],
            ):
                problems.append(Problem(f"visit {visit['pk']} differs from the audited one", subject=subject))
    return problems
