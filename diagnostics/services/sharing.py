"""Sharing scopes and the access log of a company's diagnostics.

- `set_region_sharing`: a member of the company lets the officers of the company's region see one
  submitted diagnostic before the company applies to any programme (off by default), or stops it.
  Applying to a programme shares the company's diagnostics with that programme's officers and an
  assignment shares them with the assigned expert (rules of the `regions` and `experts` apps); this
  flag is only about the region's officers without an application.
- `record_access`: one row per access by someone outside the company (officer, expert, staff) to
  a diagnostic page; the members' own visits are not recorded.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.exceptions import SharingRefused
from diagnostics.extensions import viewer_role_for
from diagnostics.models import Diagnostic, DiagnosticAccess
from portal.models import Membership, RegionOfficer
from portal.spaces import spaces_for
from portal.viewer import viewer_of


@transaction.atomic
def set_region_sharing(*, diagnostic, shared, by):
    """Share (or stop sharing) a submitted diagnostic with the officers of its company's region.

    Only the company's members may do it (checked again here under the row lock). Records who
    changed it and when; setting the value it already has changes nothing. Returns the diagnostic.
    """
    locked = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if not Membership.objects.filter(user=by, company_id=locked.company_id).exists():
        raise SharingRefused(_("Only the company's members may choose who sees its diagnostic."))
    if locked.status != Diagnostic.Status.SUBMITTED:
        raise SharingRefused(_("Only a submitted diagnostic can be shared with the region."))
    shared = bool(shared)
    if locked.shared_with_region != shared:
        locked.shared_with_region = shared
        locked.sharing_changed_by = by
        locked.sharing_changed_at = timezone.now()
        locked.save(update_fields=["shared_with_region", "sharing_changed_by", "sharing_changed_at"])
    diagnostic.shared_with_region = locked.shared_with_region
    diagnostic.sharing_changed_by = locked.sharing_changed_by
    diagnostic.sharing_changed_at = locked.sharing_changed_at
    return diagnostic


def _viewer(user, diagnostic):
    """(kind, region, organisation) of a viewer from outside the company, as of now."""
    if user.is_staff:
        return DiagnosticAccess.Kind.STAFF, None, ""
    # The user's spaces come with the request's viewer (the navigation reads them too): only a
    # regional officer's posts are then looked up.
    spaces = {space.key for space in spaces_for(user)}
    posts = {}
    if "region" in spaces:
        posts = {
            post.region_id: post.region for post in RegionOfficer.objects.filter(user=user).select_related("region")
        }
    if posts:
        region_id = diagnostic.company.region_id if diagnostic.company_id else None
        region = posts.get(region_id) or next(iter(posts.values()))
        return DiagnosticAccess.Kind.OFFICER, region, ""
    role = viewer_role_for(user)
    if role is not None:
        return role.kind, None, role.organisation[:200]
    if "expert" in spaces:
        return DiagnosticAccess.Kind.EXPERT, None, ""
    return DiagnosticAccess.Kind.OTHER, None, ""


def record_access(*, diagnostic, user, what):
    """Record that `user` opened a page (`what`: a `DiagnosticAccess.What`) of `diagnostic`, unless
    they are a member of its company. Call it after the access was granted. Returns the row or None.

    Cheap: no query for a member (the request's viewer knows their companies); for an outside viewer,
    at most three small queries (their spaces, remembered for the request; an officer's posts or an
    expert's organisation) and one insert.
    """
    if user is None or not user.is_authenticated or viewer_of(user).is_member_of(diagnostic.company_id):
        return None
    kind, region, organisation = _viewer(user, diagnostic)
    return DiagnosticAccess.objects.create(
        diagnostic_id=diagnostic.pk,
        company_id=diagnostic.company_id,
        user=user,
        kind=kind,
        region=region,
        organisation=organisation,
        what=what,
    )
