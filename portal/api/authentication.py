"""Bearer-token authentication of the API (RFC 6750): `Authorization: Bearer <key>`.

Session cookies are not read by the API: a browser logged in to the portal cannot be made to call
it by another site (no CSRF exposure), and every call names its token.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from portal.api import tokens

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """The user of a personal access token; `request.auth` is the token (its scope decides writes)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”, in one piece."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("This token is unknown, revoked or expired.")) from error
        token = tokens.authenticate(key)
        if token is None:
            raise AuthenticationFailed(_("This token is unknown, revoked or expired."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("The account of this token is disabled."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema; public endpoints also accept calls without one."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "A personal access token, made on the “API access” page of your account. Read-only tokens may "
                    "only read; changes need a read-and-write token."
                )
            ),
        }

    def get_security_requirement(self, auto_schema):
        if getattr(auto_schema.view, "public", False):
            return [{self.name: []}, {}]
        return {self.name: []}
