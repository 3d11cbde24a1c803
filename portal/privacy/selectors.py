"""Reads for the GDPR pages, scoped to the user."""

from portal.models import Company


def companies_of_member(user):
    """The companies `user` is a member of (owner or not); nobody else's, whatever their role."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).select_related("region", "naf_division")
