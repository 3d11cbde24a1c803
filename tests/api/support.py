"""Helpers of the API tests: a token of a given scope for a user, and a client that sends it."""

from rest_framework.test import APIClient

from portal.api import tokens


def token_key(user, scope="read", name="Test token", days=30):
    """A new active token of `user` with `scope`; returns its key."""
    return tokens.create_token(user=user, name=name, scope=scope, days=days).key


def api_client(user=None, scope="read", key=None):
    """A client calling the API with a token of `user` (or with `key`; anonymous without either)."""
    client = APIClient()
    if key is None and user is not None:
        key = token_key(user, scope)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
