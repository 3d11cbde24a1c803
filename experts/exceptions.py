"""Typed errors of the experts app, so that views, the admin and commands can tell them apart.

Each carries a message meant for the person who tried the action.
"""


class ExpertsError(Exception):
    """Base of the experts app's business errors."""


class IllegalTransition(ExpertsError):
    """An assignment or an accreditation was asked to move to a status its current status does not lead to."""


class CapacityReached(ExpertsError):
    """The expert already has as many active assignments as their capacity allows."""


class NotReferenced(ExpertsError):
    """The expert is not referenced (suspended, expired or never referenced) and may not take assignments."""


class DuplicateAssignment(ExpertsError):
    """The expert already has an assignment under way in this company."""


class NotAllowed(ExpertsError):
    """The user may not take this action on this object (views answer 403)."""


class InvalidInput(ExpertsError):
    """The data given to a service is incomplete or inconsistent; nothing was changed."""
