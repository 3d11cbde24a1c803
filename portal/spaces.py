"""Role spaces: each app registers the space it offers and the role that opens it.

A role is a boolean SQL expression over the user row (an `Exists(...)` or a `Q`), so that every
space of a user is known in ONE query, whatever the number of apps. The home page sends a user
to the first space that applies; apps above `portal` register theirs from `AppConfig.ready()`, so
`portal` never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper


@dataclass(frozen=True)
class Space:
    key: str
    label: str
    url_name: str
    role: Callable  # () -> boolean expression evaluated on the User table (OuterRef("pk") is the user)
    order: int


_spaces: dict[str, Space] = {}


def register_space(space):
    _spaces[space.key] = space


def _role_row(user):
    """{role: bool} of every registered space's role for the user, in ONE query, remembered on the user."""
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    from portal.models import User

    ordered = sorted(_spaces.values(), key=lambda space: space.order)
    flags = {f"in_{space.key}": ExpressionWrapper(space.role(), output_field=BooleanField()) for space in ordered}
    row = (User.objects.filter(pk=user.pk).values(**flags).first() or {}) if flags else {}
    user._portal_spaces = [space for space in ordered if row.get(f"in_{space.key}")]
    user._portal_roles = {space.role: bool(row.get(f"in_{space.key}")) for space in ordered}
    return user._portal_roles


def spaces_for(user):
    """The spaces the user may enter, most specific role first (one query, remembered on the user)."""
    if not user.is_authenticated:
        return []
    _role_row(user)
    return user._portal_spaces


def has_role(user, role):
    """Whether the user holds `role` (a role expression factory such as `portal.rules.officer_role`).

    A role some space is registered with comes from the same single query as `spaces_for`; another
    role costs one query. Either way the answer is remembered on the user object, which lives for
    one request (`request.user`), so the role checks of a page cost at most one query together."""
    if not user.is_authenticated:
        return False
    roles = _role_row(user)
    if role not in roles:
        from portal.models import User

        roles[role] = User.objects.filter(pk=user.pk).filter(role()).exists()
    return roles[role]
