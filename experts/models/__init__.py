"""Models of the experts app, one module per part: profiles, accreditation, assignments and visits, reviews.
(Their audit trail is the portal's: `portal.audit`, see `experts/audit.py`.)"""

from experts.models.accreditation import Accreditation, AccreditationTransition
from experts.models.assignment import MAX_VISIT_DAYS, Assignment, AssignmentTransition, Visit
from experts.models.conflict import ConflictOfInterest
from experts.models.profile import (
    DEFAULT_CAPACITY,
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    Expert,
    ExpertLanguage,
    ExpertSkill,
    SkillLevel,
)
from experts.models.review import ExpertReview, ReviewAction, ReviewAxis, ReviewQuestion

__all__ = [
    "DEFAULT_CAPACITY",
    "LANGUAGE_CHOICES",
    "MAX_CAPACITY",
    "MAX_VISIT_DAYS",
    "Accreditation",
    "AccreditationTransition",
    "Assignment",
    "AssignmentTransition",
    "ConflictOfInterest",
    "Expert",
    "ExpertLanguage",
    "ExpertReview",
    "ExpertSkill",
    "ReviewAction",
    "ReviewAxis",
    "ReviewQuestion",
    "SkillLevel",
    "Visit",
]
