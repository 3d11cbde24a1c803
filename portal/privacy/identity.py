"""The identity layer's part of a company's data: the company, its members and its invitations."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.models import Invitation, Membership, PendingSignup
from portal.privacy import CompanyData, ExportPart


def export_identity(company):
    members = Membership.objects.filter(company=company).select_related("user").order_by("created_at", "pk")
    invitations = Invitation.objects.filter(company=company).order_by("created_at", "pk")
    return ExportPart(
        data={
            "company": {
                "id": company.pk,
                "name": company.name,
                "siret": company.siret,
                "naf_division": company.naf_division.code,
                "headcount_band": company.headcount_band,
                "region": company.region.code,
                "language": company.language,
                "created_at": company.created_at,
            },
            "members": [
                {
                    "user_id": membership.user_id,
                    "email": membership.user.email,
                    "first_name": membership.user.first_name,
                    "last_name": membership.user.last_name,
                    "preferred_language": membership.user.preferred_language,
                    "role": membership.role,
                    "joined_at": membership.created_at,
                    "last_login": membership.user.last_login,
                }
                for membership in members
            ],
            "invitations": [
                {
                    "email": invitation.email,
                    "invited_by": invitation.invited_by_id,
                    "created_at": invitation.created_at,
                    "expires_at": invitation.expires_at,
                    "accepted_at": invitation.accepted_at,
                    "accepted_by": invitation.accepted_by_id,
                }
                for invitation in invitations
            ],
        }
    )


def erase_identity(*, company, user_ids):
    """Invitations and sign-up requests of the company go; the erased users' sign-up requests too.

    Memberships and the users themselves are handled by the closure (portal.privacy.closure)."""
    emails = list(get_user_model().objects.filter(pk__in=user_ids).values_list("email", flat=True))
    Invitation.objects.filter(company=company).delete()
    PendingSignup.objects.filter(Q(siret=company.siret) | Q(email__in=emails)).delete()


IDENTITY = CompanyData(
    key="company",
    models=("portal.Company", "portal.Membership", "portal.Invitation", "portal.User"),
    export=export_identity,
    erase=erase_identity,
    order=0,
)


def register():
    from django.utils.translation import gettext_lazy as _

    from portal.audit import register_actions
    from portal.privacy import register_company_data
    from portal.privacy.closure import CLOSED_ACTION

    register_company_data(IDENTITY)
    register_actions({CLOSED_ACTION: _("company account closed")})
