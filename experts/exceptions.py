"""Errors of the experts app: the portal's hierarchy (`portal.errors`), and the refusals of its own.

Each carries a message meant for the person who tried the action; nothing was written.
"""

from portal.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError

__all__ = [
    "CapacityReached",
    "ConflictOfInterestDeclared",
    "DuplicateAssignment",
    "ExpertsError",
    "IllegalTransition",
    "InvalidInput",
    "NotAllowed",
    "NotReferenced",
]


class ExpertsError(ServiceError):
    """Base of the experts app's own refusals."""

    http_status = 409


class CapacityReached(ExpertsError):
    """The expert already has as many active assignments as their capacity allows."""


class NotReferenced(ExpertsError):
    """The expert is not referenced (suspended, expired or never referenced) and may not take assignments."""


class DuplicateAssignment(ExpertsError):
    """The expert already has an assignment under way in this company."""


class ConflictOfInterestDeclared(ExpertsError):
    """The expert declared a conflict of interest with the company: they may not be assigned to it."""
