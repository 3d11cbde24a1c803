"""The one error hierarchy of the portal's use cases, and what each error answers over HTTP.

Services raise these (or an app's subclass, in `<app>/exceptions.py`) with a message meant for the
person who tried the action, already in their language; nothing was written when one is raised.

- `NotAllowed`: the person may not take this action on this object (403);
- `InvalidInput`: the data given is incomplete or inconsistent (400);
- `IllegalTransition`: the object's state does not allow it, e.g. a decision already taken (409);
- any other `ServiceError`: refused for a reason of its own (400 unless the class says otherwise).

`http_status(error)` is the one mapping from an error to an HTTP status: pages use it through
`portal.http`, the API through its exception handler.
"""


class ServiceError(Exception):
    """A use case was refused; `message` is what the user reads."""

    http_status = 400

    def __init__(self, message=""):
        self.message = str(message)
        super().__init__(self.message)


class NotAllowed(ServiceError):
    """The user may not take this action on this object."""

    http_status = 403


class InvalidInput(ServiceError):
    """The data given to a service is incomplete or inconsistent; nothing was changed."""


class IllegalTransition(ServiceError):
    """The object's state does not allow the action (the workflow's table has no such move, or the
    decision was taken by someone else first)."""

    http_status = 409


def http_status(error):
    """The HTTP status a service error answers with."""
    return getattr(error, "http_status", 400)


# --- the identity layer's own refusals ----------------------------------------------------------------


class LinkError(ServiceError):
    """A link sent by e-mail that can no longer be used; the message says why."""

    http_status = 410


class InvitationError(LinkError):
    """An invitation link that can no longer be used."""


class SignupLinkError(LinkError):
    """A sign-up confirmation link that can no longer be used."""


class SignupConflict(ServiceError):
    """A concurrent sign-up took the e-mail or SIRET between validation and write."""

    http_status = 409


class ClosureRefused(ServiceError):
    """The closure of a company's account was not confirmed or cannot happen; the message says why."""
