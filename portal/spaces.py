"""Role spaces: each app registers the space it offers and the role that opens it.

A role is a boolean SQL expression over the user row (an `Exists(...)` or a `Q`), so that every
space of a user is known in ONE query, whatever the number of apps. The home page sends a user
to the first space that applies; apps above `portal` register theirs from `AppConfig.ready()`, so
`portal` never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass


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


def registered_spaces():
    """Every registered space, in order."""
    return sorted(_spaces.values(), key=lambda space: space.order)


def _role_row(user):
    """{role: bool} of every registered space's role for the user, read with the request's viewer
    (`portal.viewer`: one query for the roles, memberships and posts together), remembered on the user."""
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    from portal.viewer import viewer_of

    keys = viewer_of(user).space_keys
    ordered = registered_spaces()
    user._portal_spaces = [space for space in ordered if space.key in keys]
    user._portal_roles = {space.role: space.key in keys for space in ordered}
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
