"""Making, finding and revoking personal access tokens (`ApiToken`).

`create_token` returns the key once; only its hash is kept. `authenticate` finds the active token
of a key in one query; it records the last use at most once per `LAST_USED_PRECISION`, so that a
busy integration does not write on every call.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import ApiToken

KEY_PREFIX = "idf_"
KEY_BYTES = 32
SHOWN_CHARACTERS = 12  # the prefix and a few characters: enough to recognise a key, useless to guess it
MAX_KEY_LENGTH = 200  # a longer Authorization value is refused before hashing
LAST_USED_PRECISION = timedelta(minutes=5)
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class TokenError(Exception):
    """A token could not be made or revoked; the message says why, in the user's language."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once to its owner, never stored


def validity_choices():
    """The lives a token may be given, in days, up to `API_TOKEN_MAX_DAYS`."""
    return [days for days in (30, 90, 180, 365) if days <= settings.API_TOKEN_MAX_DAYS] or [settings.API_TOKEN_MAX_DAYS]


def tokens_of(user):
    """The user's tokens, newest first, active or not (the page shows which)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def create_token(*, user, name, scope, days):
    """A new token for `user`; returns it with its key (shown once). Raises `TokenError`."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name, to recognise it later."))
    if len(name) > NAME_MAX_LENGTH:
        raise TokenError(_("The name is too long (%(max)s characters at most).") % {"max": NAME_MAX_LENGTH})
    if scope not in ApiToken.Scope.values:
        raise TokenError(_("Choose read only, or read and write."))
    if days not in validity_choices():
        raise TokenError(_("Choose one of the proposed validity periods."))
    # The user's row lock makes the count below exact when two tokens are made at once.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user).active().count()
    limit = settings.API_TOKEN_MAX_ACTIVE
    if active >= limit:
        raise TokenError(
            ngettext(
                "You already have %(count)d active token, the most allowed: revoke one first.",
                "You already have %(count)d active tokens, the most allowed: revoke one first.",
                limit,
            )
            % {"count": limit}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=key[:SHOWN_CHARACTERS],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def revoke_token(*, token, by):
    """Revoke one of `by`'s own tokens (at once: the next call with it is refused). Returns the token."""
    row = ApiToken.objects.select_for_update().get(pk=token.pk, user=by)
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def authenticate(key):
    """The active token of `key` with its user (one query), or None. Records the use (see module docstring)."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.startswith(KEY_PREFIX):
        return None
    now = timezone.now()
    token = ApiToken.objects.active(now).filter(key_hash=ApiToken.hash_key(key)).select_related("user").first()
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
