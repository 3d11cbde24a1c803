"""How every view answers, in one place (the permission policy is in the README, "Who may see and do what").

- `found(obj)`: what a scoped selector returned, or a 404: outside the user's scope, an object does not exist;
- `allowed(rule, viewer, obj)`: a 403 unless the rule lets the viewer act;
- `reported(request, form=None)`: runs a service call; a `NotAllowed` is a 403, any other service
  error its message, on the form or on the page (`outcome.ok` tells whether the call went through);
- `ServiceErrorMiddleware`: a service error no view caught answers with its status
  (`portal.errors.http_status`) and its message, never a server error.

The API answers with the same statuses through `portal.errors.http_status`.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.shortcuts import render

from portal.errors import NotAllowed, ServiceError, http_status


def found(obj, message=None):
    """The object a scoped selector returned, or a 404."""
    if obj is None:
        raise Http404(message) if message else Http404
    return obj


def allowed(rule, viewer, *args, message=None):
    """A 403 unless `rule` (a django-rules predicate) lets the viewer act on `args`."""
    if not rule.test(viewer, *args):
        raise PermissionDenied(message) if message else PermissionDenied


@dataclass
class Outcome:
    """What became of a service call run under `reported`."""

    ok: bool = False
    error: ServiceError | None = None

    @property
    def status(self):
        """The HTTP status of the error (200 when the call went through)."""
        return 200 if self.ok else http_status(self.error)


@contextmanager
def reported(request, form=None):
    """Run the service calls of the block: a `NotAllowed` becomes a 403; another service error is
    shown (as an error of `form` when given, else as a message on the next page) and swallowed.

        with reported(request) as outcome:
            services.accept_assignment(assignment=assignment, by=request.user)
        if outcome.ok:
            messages.success(request, ...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except ServiceError as error:
        outcome.error = error
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
    else:
        outcome.ok = True


class ServiceErrorMiddleware:
    """A service error that reached no `reported` block: its status and message, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return response_for_exception(request, PermissionDenied(exception.message))
        if not isinstance(exception, ServiceError):
            return None
        return render(request, "service_error.html", {"message": exception.message}, status=http_status(exception))
