"""Use cases of the identity layer: sign-up, invitations. Each write is one transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Company, Invitation, Membership, User


class InvitationError(Exception):
    """An invitation link that can no longer be used; the message says why."""


class SignupConflict(Exception):
    """Raised when a concurrent sign-up took the e-mail or SIRET between validation and write."""


@transaction.atomic
def sign_up_company(
    *, email, password, first_name, last_name, company_name, siret, naf_division, headcount_band, region, language
):
    """Create the manager's account, the company and the owner membership, all or nothing."""
    try:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            preferred_language=language,
        )
        company = Company.objects.create(
            name=company_name,
            siret=siret,
            naf_division=naf_division,
            headcount_band=headcount_band,
            region=region,
            language=language,
        )
    except IntegrityError as error:
        raise SignupConflict from error
    Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
    return user


@transaction.atomic
def invite_colleague(*, company, email, by):
    """Record an invitation and send the link once the transaction has committed.

    Returns the invitation and the clear token, which exists only in the e-mail.
    """
    from portal.tasks import deliver_invitation

    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company,
        email=email.lower(),
        token_hash=Invitation.hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    transaction.on_commit(lambda: deliver_invitation.delay(invitation.pk, token))
    return invitation, token


def send_invitation_email(*, invitation, token):
    """Send the invitation link, in the company's language."""
    link = settings.SITE_URL.rstrip("/") + reverse("portal:accept_invitation", args=[token])
    with translation.override(invitation.company.language):
        subject = _("%(name)s invites you to the Industrie du Futur portal") % {"name": invitation.company.name}
        body = render_to_string(
            "portal/email/invitation.txt",
            {"invitation": invitation, "link": link, "days": settings.INVITATION_VALIDITY_DAYS},
        )
    send_mail(subject, body, None, [invitation.email])


def find_usable_invitation(token):
    """The pending invitation behind a token, or InvitationError saying why it can't be used."""
    invitation = Invitation.objects.select_related("company").filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid. Check that you copied the whole link."))
    if invitation.is_used:
        raise InvitationError(_("This invitation has already been used. Log in to reach your company."))
    if invitation.is_expired:
        raise InvitationError(_("This invitation has expired. Ask the company's owner to send a new one."))
    return invitation


@transaction.atomic
def accept_invitation(*, token, user):
    """Join the invitation's company as a member. The invitation row is locked so it works once."""
    invitation = find_usable_invitation(token)
    invitation = Invitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
    if invitation.is_used:
        raise InvitationError(_("This invitation has already been used. Log in to reach your company."))
    if user.email.lower() != invitation.email:
        raise InvitationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    Membership.objects.get_or_create(user=user, company=invitation.company, defaults={"role": Membership.Role.MEMBER})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def accept_invitation_with_new_account(*, token, password, first_name, last_name):
    """Create the invited person's account and join the company, in one transaction."""
    invitation = find_usable_invitation(token)
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        preferred_language=invitation.company.language,
    )
    accept_invitation(token=token, user=user)
    return user
