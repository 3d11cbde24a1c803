"""Who the user of a request is, for the rules and the selectors: read once per request.

A rule asks "is this user a member of the object's company? an officer of its region?". Answering
from a `Viewer` (one query, remembered on the user object, which lives for one request as
`request.user`) makes the rule's cost and answer the same whichever selector loaded the object.
A view that changes the user's memberships or posts and reads them again in the same request calls
`forget_viewer(user)`.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Value, When

VIEWER_ATTRIBUTE = "_portal_viewer"


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    is_staff: bool
    company_ids: frozenset  # the companies the user is a member of, owner or not
    owned_company_ids: frozenset  # those they own
    officer_region_ids: frozenset  # the regions they are an officer of
    space_keys: frozenset = frozenset()  # the role spaces they may enter (portal.spaces)

    @property
    def is_authenticated(self):
        return self.user_id is not None

    @property
    def has_company(self):
        return bool(self.company_ids)

    @property
    def is_officer(self):
        return bool(self.officer_region_ids)

    def is_member_of(self, company_id):
        return company_id is not None and company_id in self.company_ids

    def is_owner_of(self, company_id):
        return company_id is not None and company_id in self.owned_company_ids

    def is_officer_of(self, region_id):
        return region_id is not None and region_id in self.officer_region_ids


NOBODY = Viewer(
    user_id=None, is_staff=False, company_ids=frozenset(), owned_company_ids=frozenset(), officer_region_ids=frozenset()
)


def _read(user):
    """Memberships, officer posts and the role of every registered space, in one UNION query."""
    from portal.models import Membership, RegionOfficer, User
    from portal.spaces import registered_spaces

    kind = CharField()
    memberships = (
        Membership.objects.filter(user_id=user.pk)
        .annotate(
            kind=Case(When(role=Membership.Role.OWNER, then=Value("owner")), default=Value("member"), output_field=kind)
        )
        .values_list("kind", "company_id")
    )
    posts = RegionOfficer.objects.filter(user_id=user.pk).annotate(kind=Value("officer", output_field=kind))
    roles = [
        User.objects.filter(pk=user.pk)
        .filter(space.role())
        .annotate(kind=Value(f"space:{space.key}", output_field=kind), ref=Value(0))
        .values_list("kind", "ref")
        for space in registered_spaces()
    ]
    rows = list(memberships.union(posts.values_list("kind", "region_id"), *roles, all=True))
    return Viewer(
        user_id=user.pk,
        is_staff=bool(user.is_staff),
        company_ids=frozenset(pk for kind, pk in rows if kind in ("owner", "member")),
        owned_company_ids=frozenset(pk for kind, pk in rows if kind == "owner"),
        officer_region_ids=frozenset(pk for kind, pk in rows if kind == "officer"),
        space_keys=frozenset(kind.removeprefix("space:") for kind, _pk in rows if kind.startswith("space:")),
    )


def viewer_of(user):
    """The `Viewer` of `user` (NOBODY for an anonymous visitor): one query, then remembered on the user."""
    if user is None or not user.is_authenticated:
        return NOBODY
    viewer = getattr(user, VIEWER_ATTRIBUTE, None)
    if viewer is None or viewer.user_id != user.pk:
        viewer = _read(user)
        setattr(user, VIEWER_ATTRIBUTE, viewer)
    return viewer


def forget_viewer(user):
    """Read the user's memberships and posts again at the next `viewer_of` (after the request changed them)."""
    for attribute in (VIEWER_ATTRIBUTE, "_portal_roles", "_portal_spaces"):  # the spaces are read with it
        if user is not None and hasattr(user, attribute):
            delattr(user, attribute)
