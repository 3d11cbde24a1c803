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


def spaces_for(user):
    """The spaces the user may enter, most specific role first (one query, remembered on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_portal_spaces", None)
    if cached is not None:
        return cached
    from portal.models import User

    ordered = sorted(_spaces.values(), key=lambda space: space.order)
    flags = {f"in_{space.key}": ExpressionWrapper(space.role(), output_field=BooleanField()) for space in ordered}
    row = User.objects.filter(pk=user.pk).values(**flags).first() or {}
    user._portal_spaces = [space for space in ordered if row.get(f"in_{space.key}")]
    return user._portal_spaces
