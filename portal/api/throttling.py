"""Throttling of the API: per token for token calls, per client address for calls without a token.

Counts live in the Django cache (Redis in production). Rates are settings (`API_TOKEN_RATE`,
`API_ANONYMOUS_RATE`); behind reverse proxies `TRUSTED_PROXY_COUNT` makes the client address the
real one (DRF's `NUM_PROXIES`), as for the login lockout.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_TOKEN_RATE  # read at each call (DRF reads its rates once, at import)

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anonymous"

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
