"""How the API answers errors: the portal's one mapping to HTTP, in JSON.

Every API answer that is not a success carries `{"detail": <message>, "code": <code>}` (invalid data
adds `"errors": {field: [messages]}`), in the user's language (Accept-Language).

The apps' business errors (a submitted diagnostic, a budget exhausted, an illegal transition…) are
the portal's service errors (`portal.errors`), raised by the same services the pages call: they
answer the status `portal.errors.http_status` gives them, as the pages do, with their own message
(already written for users) and a code named after their class (`BudgetExhausted` → `budget_exhausted`).
Data the serializers refuse answers 400 with the code `invalid`.
"""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import ServiceError, http_status

API_PATH_PREFIX = "/api/"


class BusinessError(APIException):
    """A service error, answered with its status and its own message."""

    def __init__(self, error):
        self.status_code = http_status(error)
        super().__init__(detail=error.message, code=error_code(error))


def error_code(error):
    """The stable code of a service error: its class name in snake case."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


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
    """DRF's handler, with the service errors mapped and every body in the same shape."""
    if isinstance(error, ServiceError):
        error = BusinessError(error)
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
