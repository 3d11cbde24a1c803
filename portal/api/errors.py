"""The one mapping of errors to HTTP answers for the API.

Every API answer that is not a success carries `{"detail": <message>, "code": <code>}` (validation
problems add `"errors": {field: [messages]}`), in the user's language (Accept-Language).

The apps' business errors (a submitted diagnostic, a budget exhausted, an illegal transition…) are
raised by the same services the pages call; each app registers its error classes with the status
they answer (`register_error`, from `AppConfig.ready()`), since `portal` may not import the apps.
The most specific registered class wins; the message is the error's own, already written for users.
Statuses: 400 for data the schema refuses, 422 for well-formed data a business rule refuses, 409 for
an action the object's state does not allow now, 403 for a role that may not act.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

API_PATH_PREFIX = "/api/"

_statuses: dict[type, tuple[int, str]] = {}


def register_error(error_class, status_code, code):
    """Answer `error_class` (and its subclasses not registered themselves) with `status_code` and `code`."""
    _statuses[error_class] = (status_code, code)


def _registered(error):
    for cls in type(error).__mro__:
        if cls in _statuses:
            return _statuses[cls]
    return None


class BusinessError(APIException):
    """A business error of an app, answered with its registered status and its own message."""

    def __init__(self, message, status_code, code):
        self.status_code = status_code
        super().__init__(detail=message, code=code)


def _message(error):
    return str(getattr(error, "message", None) or error)


def _flatten(detail):
    """DRF's nested validation details as {field: [messages]}."""
    if isinstance(detail, dict):
        return {str(field): [str(item) for item in _as_list(value)] for field, value in detail.items()}
    return {"non_field_errors": [str(item) for item in _as_list(detail)]}


def _as_list(value):
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, items in value.items() for item in _as_list(items)]
    if isinstance(value, list | tuple):
        return [item for element in value for item in _as_list(element)]
    return [value]


def exception_handler(error, context):
    """DRF's handler, with the apps' business errors mapped and every body in the same shape."""
    registered = _registered(error)
    if registered is not None:
        error = BusinessError(_message(error), *registered)
    elif isinstance(error, Http404):
        error = NotFound(*error.args)
    elif isinstance(error, DjangoPermissionDenied):
        error = PermissionDenied(*error.args)
    response = drf_exception_handler(error, context)
    if response is None:
        return None  # an unexpected error: a 500, logged by Django
    if isinstance(error, ValidationError):
        response.data = {
            "detail": _("The data sent has problems; nothing was changed."),
            "code": "invalid",
            "errors": _flatten(error.detail),
        }
    else:
        codes = error.get_codes()
        response.data = {"detail": str(error.detail), "code": codes if isinstance(codes, str) else "error"}
    return response


def page_not_found(request, exception):
    """Django's 404 page, or the API's JSON answer for an address under /api/ that matches no endpoint."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse({"detail": _("No endpoint or object at this address."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500 page, or a JSON answer under /api/ (the error itself is logged by Django)."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse(
            {"detail": _("An unexpected error occurred; it has been logged."), "code": "error"}, status=500
        )
    return defaults.server_error(request)
