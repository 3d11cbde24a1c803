"""Use cases of the experts app: one function per use case, each one transaction, keyword arguments.

Errors are typed (`experts.exceptions`): `NotAllowed` (the user may not act), `IllegalTransition`
(the object's state forbids it), `CapacityReached`, `NotReferenced`, `DuplicateAssignment`,
`InvalidInput` (nothing was changed). E-mails leave after commit, through Celery tasks taking ids.
"""

from experts.services.assignments import (
    accept_assignment,
    cancel_assignment,
    decline_assignment,
    log_visit,
    propose_assignment,
    start_assignment,
)
from experts.services.conflicts import declare_conflict, refuse_declared_conflict, withdraw_conflict
from experts.services.profiles import change_accreditation, register_expert, update_profile
from experts.services.reviews import expected_review_axes, save_review_draft, submit_review
from experts.services.validation import QuestionVerdict, validate_questions

__all__ = [
    "QuestionVerdict",
    "accept_assignment",
    "cancel_assignment",
    "change_accreditation",
    "declare_conflict",
    "decline_assignment",
    "expected_review_axes",
    "log_visit",
    "propose_assignment",
    "refuse_declared_conflict",
    "register_expert",
    "save_review_draft",
    "start_assignment",
    "submit_review",
    "update_profile",
    "validate_questions",
    "withdraw_conflict",
]
