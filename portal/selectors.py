"""Reads of the identity layer, already scoped to what the user may see."""

from portal.models import Company, InboxMessage, Membership, User


def companies_visible_to(user):
    """Staff see every company; anyone else the companies they belong to."""
    if not user.is_authenticated:
        return Company.objects.none()
    companies = Company.objects.select_related("region", "naf_division")
    if user.is_staff:
        return companies
    return companies.filter(memberships__user=user)


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("company")


def company_members(company):
    return Membership.objects.filter(company=company).select_related("user").order_by("role", "user__email")


def account_exists(email):
    return User.objects.filter(email__iexact=email).exists()


def inbox_of(user):
    """The user's own inbox messages, latest first."""
    return InboxMessage.objects.filter(recipient=user).order_by("-created_at", "-pk")
