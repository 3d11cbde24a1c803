"""Role spaces: each app registers the space it offers and who it is for.

The home page sends a user to the first space that applies to them. Apps above `portal` register
their spaces from `AppConfig.ready()`, so `portal` never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Space:
    key: str
    label: str
    url_name: str
    applies_to: Callable
    order: int


_spaces: dict[str, Space] = {}


def register_space(space):
    _spaces[space.key] = space


def spaces_for(user):
    """The spaces the user may enter, most specific role first."""
    if not user.is_authenticated:
        return []
    return [space for space in sorted(_spaces.values(), key=lambda s: s.order) if space.applies_to(user)]
