"""Shared parts of the OpenAPI schema: the error answers every operation may give.

drf-spectacular documents each endpoint's successful answer from its serializers; this
post-processing hook adds the answers of the shared kit (authentication, scope, throttling,
validation, unknown objects) with their one body shape (`portal.api.errors`), so that every answer
the API can give is in the schema.
"""

from django.utils.translation import gettext_lazy as _

NO_NUL = r"^[^\u0000]*$"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the language asked (Accept-Language)."},
        "code": {"type": "string", "description": "A stable code: not_found, permission_denied, invalid, throttled…"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "For invalid data: the messages of each field.",
        },
    },
    "required": ["detail", "code"],
}

ERROR_RESPONSES = {
    "400": _(
        "The data sent has problems (the schema's, or a business rule's such as “not applicable” where the question "
        "does not allow it); nothing was changed."
    ),
    "401": _("No valid token: missing, unknown, revoked or expired (public endpoints also answer without one)."),
    "403": _("The token's scope or its user's role does not allow this action."),
    "404": _("Nothing at this address that the token's user may see."),
    "429": _("Too many calls: wait for the number of seconds in the Retry-After header."),
}
BODY_ERROR_RESPONSES = {
    "409": _("The object's state does not allow this action now (e.g. a submitted diagnostic, a decided application)."),
    "415": _("The body must be JSON (Content-Type: application/json)."),
}


def _error_response(description):
    return {
        "description": str(description),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the Error component and the error answers of every operation;
    query parameters given as text may not be empty nor hold a NUL character (`portal.api.filters.StrictFilters`
    refuses them)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
                    schema.setdefault("pattern", NO_NUL)
            responses = operation.setdefault("responses", {})
            errors = dict(ERROR_RESPONSES)
            if method in ("post", "put", "patch", "delete"):
                errors.update(BODY_ERROR_RESPONSES)
            for code, description in errors.items():
                responses.setdefault(code, _error_response(description))
    return result
