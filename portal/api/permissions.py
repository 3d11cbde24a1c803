"""The token's scope: who may call what, before the endpoint's own scoped selectors and rules run.

- public endpoints (`public = True` on the view: the referential, the expert directory) answer reads
  without a token;
- every other read needs a token, of either scope;
- every write needs a token with the write scope.
What the token's user may then see and do is decided by the same selectors (404 outside the scope)
and rules (403) as the portal's pages.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class TokenScope(BasePermission):
    message = _("This token is read only: making changes needs a read-and-write token.")

    def has_permission(self, request, view):
        token = request.auth
        if request.method in SAFE_METHODS:
            return token is not None or getattr(view, "public", False)
        return token is not None and token.allows_write
