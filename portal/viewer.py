"""Who the user of a request is, for the rules and the selectors: read with the user row.

A rule asks "is this user a member of the object's company? an officer of its region? which expert
profile is theirs?"; the navigation asks which role spaces they may enter (`portal.spaces`). It answers from the user's `Viewer`, not from marks a selector left on the object,
so that its cost and its answer are the same whichever selector loaded the object.

The authentication backend (`portal.auth.PortalBackend`) loads the viewer's columns with the user
row that every request reads anyway: no query of its own. A user object loaded otherwise (a task, a
test) reads them in one query at the first `viewer_of`. Either way the viewer is remembered on the
user object, which lives for one request as `request.user`; a view that changes the user's
memberships or posts and reads them again in the same request calls `forget_viewer`.

Apps above `portal` add what they know about a user (the experts app: the expert profile's id) with
`register_viewer_field` from `AppConfig.ready()`, the way they register role spaces.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Aggregate, BooleanField, CharField, ExpressionWrapper, OuterRef, Subquery

CACHE_ATTRIBUTE = "_portal_viewer"
COLUMN_PREFIX = "viewer_"


class _IdList(Aggregate):
    """The ids of a group as one comma-separated text (PostgreSQL's STRING_AGG, SQLite's GROUP_CONCAT)."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _ids_of_user(queryset, column):
    """`column` of the rows of `queryset` that belong to the outer user, as one text column."""
    grouped = queryset.filter(user_id=OuterRef("pk")).order_by().values("user_id")
    return Subquery(grouped.annotate(ids=_IdList(column)).values("ids")[:1], output_field=CharField())


_fields: dict[str, Callable] = {}


def register_viewer_field(name, expression):
    """Add `facts[name]` to every viewer: `expression()` is an SQL expression over the user row
    (`OuterRef("pk")` is the user) giving one value, such as a subquery of a profile's id."""
    _fields[name] = expression


def viewer_columns():
    """The columns a user query annotates to carry its viewer (`User.objects.annotate(**viewer_columns())`)."""
    from portal.models import Membership, RegionOfficer
    from portal.spaces import registered_spaces

    columns = {
        "company_ids": _ids_of_user(Membership.objects.all(), "company_id"),
        "owned_company_ids": _ids_of_user(Membership.objects.filter(role=Membership.Role.OWNER), "company_id"),
        "officer_region_ids": _ids_of_user(RegionOfficer.objects.all(), "region_id"),
        **{f"field_{name}": expression() for name, expression in _fields.items()},
        **{
            f"space_{space.key}": ExpressionWrapper(space.role(), output_field=BooleanField())
            for space in registered_spaces()
        },
    }
    return {COLUMN_PREFIX + name: column for name, column in columns.items()}


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    is_staff: bool
    company_ids: frozenset  # the companies the user is a member of, owner or not
    owned_company_ids: frozenset  # those they own
    officer_region_ids: frozenset  # the regions they are an officer of
    facts: dict = field(default_factory=dict)  # what the apps above registered (`register_viewer_field`)
    space_keys: frozenset = frozenset()  # the role spaces they may enter (`portal.spaces`)

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


def _id_set(text):
    return frozenset(int(pk) for pk in text.split(",")) if text else frozenset()


def _viewer_from(user, row):
    return Viewer(
        user_id=user.pk,
        is_staff=bool(user.is_staff),
        company_ids=_id_set(row[COLUMN_PREFIX + "company_ids"]),
        owned_company_ids=_id_set(row[COLUMN_PREFIX + "owned_company_ids"]),
        officer_region_ids=_id_set(row[COLUMN_PREFIX + "officer_region_ids"]),
        facts={name: row[f"{COLUMN_PREFIX}field_{name}"] for name in _fields},
        space_keys=frozenset(key for key in _spaces_keys() if row[f"{COLUMN_PREFIX}space_{key}"]),
    )


def _spaces_keys():
    from portal.spaces import registered_spaces

    return [space.key for space in registered_spaces()]


def viewer_of(user):
    """The `Viewer` of `user` (NOBODY for an anonymous visitor). No query when the authentication
    backend loaded the user; one otherwise. Remembered on the user object."""
    if user is None or not user.is_authenticated:
        return NOBODY
    viewer = getattr(user, CACHE_ATTRIBUTE, None)
    if viewer is None or viewer.user_id != user.pk:
        columns = viewer_columns()
        if all(hasattr(user, column) for column in columns):  # loaded by portal.auth.PortalBackend
            row = {column: getattr(user, column) for column in columns}
        else:
            from portal.models import User

            row = User.objects.filter(pk=user.pk).values(**columns).first() or dict.fromkeys(columns)
        viewer = _viewer_from(user, row)
        setattr(user, CACHE_ATTRIBUTE, viewer)
    return viewer


def forget_viewer(user):
    """Read the user's memberships and posts again at the next `viewer_of` (after the request changed them)."""
    for attribute in (CACHE_ATTRIBUTE, *viewer_columns()):
        if user is not None and attribute in user.__dict__:
            delattr(user, attribute)
