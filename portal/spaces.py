"""Role spaces: each app registers the space it offers and the role that opens it.

A role is a boolean SQL expression over the user row (an `Exists(...)` or a `Q`), so that every
space of a user is read with the user row (`portal.viewer`), whatever the number of apps. The home page sends a user
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
    """Every registered space, most specific role first."""
    return sorted(_spaces.values(), key=lambda space: space.order)


def spaces_for(user):
    """The spaces the user may enter, most specific role first, read with the request's viewer
    (`portal.viewer`: no query of their own for the user of a request)."""
    if not user.is_authenticated:
        return []
    from portal.viewer import viewer_of

    keys = viewer_of(user).space_keys
    return [space for space in registered_spaces() if space.key in keys]
