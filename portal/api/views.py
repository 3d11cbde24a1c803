"""Pages of the API's kit: the user's personal access tokens, and the public documentation page."""

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.generators import SchemaGenerator

from portal.api import tokens
from portal.api.forms import ApiTokenForm

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's tokens, and the form to make one. A new token's key is shown on this answer only."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                new_token = tokens.create_token(
                    user=request.user, name=data["name"], scope=data["scope"], days=data["days"]
                )
            except tokens.TokenError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                form = ApiTokenForm()
        else:
            status = 400
    context = {"form": form, "new_token": new_token, "tokens": tokens.tokens_of(request.user)}
    return render(request, "portal/api_tokens.html", context, status=status)


@require_POST
def api_token_revoke(request, pk):
    """Revoke one of the user's own tokens (another user's token: 404)."""
    token = get_object_or_404(tokens.tokens_of(request.user), pk=pk)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(
        request, _("The token “%(name)s” is revoked: calls made with it are now refused.") % {"name": token.name}
    )
    return redirect("portal:api_tokens")


@lru_cache(maxsize=8)
def _schema(language):
    """The OpenAPI schema in one language (the schema only changes with a deployment)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    ref = (node or {}).get("$ref")
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node or {}


def _type_of(schema, node):
    node = node or {}
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[1]
    if node.get("type") == "array":
        return f"[{_type_of(schema, node.get('items'))}]"
    if "allOf" in node:
        return " & ".join(_type_of(schema, part) for part in node["allOf"])
    if "oneOf" in node:
        return " | ".join(_type_of(schema, part) for part in node["oneOf"])
    return node.get("format") or node.get("type") or "object"


def _body_fields(schema, operation):
    content = operation.get("requestBody", {}).get("content", {})
    body = _resolve(schema, next(iter(content.values()), {}).get("schema"))
    required = set(body.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_of(schema, field),
            "required": name in required,
            "description": field.get("description", ""),
        }
        for name, field in body.get("properties", {}).items()
    ]


def _operations(schema):
    """The schema's operations grouped by tag, in the schema's order, ready for the template."""
    groups = {}
    for path, methods in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = methods.get(method)
            if operation is None:
                continue
            public = {} in operation.get("security", [])
            groups.setdefault((operation.get("tags") or ["api"])[0], []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "public": public,
                    "writes": method != "get",
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type_of(schema, parameter.get("schema")),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _body_fields(schema, operation),
                    "responses": [
                        (code, response.get("description", ""))
                        for code, response in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return sorted(groups.items())


@login_not_required
@require_GET
def api_docs(request):
    """The API's documentation, written from its OpenAPI schema (no script: readable anywhere, offline too)."""
    schema = _schema(get_language())
    context = {"info": schema.get("info", {}), "groups": _operations(schema)}
    return render(request, "portal/api_docs.html", context)
