"""Use cases of the identity layer: sign-up, invitations. Each write is one transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.errors import InvitationError, SignupConflict, SignupLinkError
from portal.models import Company, Invitation, Membership, PendingSignup, User


def _site_link(url_name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


@transaction.atomic
def request_signup(
    *, email, password, first_name, last_name, company_name, siret, naf_division, headcount_band, region, language
):
    """Start a company sign-up: e-mail a confirmation link; nothing else exists until it is followed.

    When an account already uses the address, nothing is recorded and its owner is told by e-mail
    that someone tried to register with it. The visitor sees the same "check your mailbox" page in
    both cases, so the form never tells whether an address has an account. The password is hashed
    in both cases, so the two take the same time.
    """
    email = email.lower()
    password_hash = make_password(password)
    existing = User.objects.filter(email__iexact=email).only("email", "preferred_language").first()
    if existing is not None:
        from portal.tasks import deliver_signup_notice

        # In the language the account's owner chose, to the address as the account holds it.
        notice = (existing.email, existing.preferred_language)
        transaction.on_commit(lambda: deliver_signup_notice.delay(*notice))
        return None
    from portal.tasks import deliver_signup_confirmation

    token = secrets.token_urlsafe(32)
    pending = PendingSignup.objects.create(
        email=email,
        password_hash=password_hash,
        first_name=first_name,
        last_name=last_name,
        company_name=company_name,
        siret=siret,
        naf_division=naf_division,
        headcount_band=headcount_band,
        region=region,
        language=language,
        token_hash=PendingSignup.hash_token(token),
        expires_at=timezone.now() + timedelta(hours=settings.SIGNUP_CONFIRMATION_VALIDITY_HOURS),
    )
    transaction.on_commit(lambda: deliver_signup_confirmation.delay(pending.pk, token))
    return pending, token


def send_signup_confirmation_email(*, pending, token):
    with translation.override(pending.language):
        subject = _("Confirm your registration on the Industrie du Futur portal")
        body = render_to_string(
            "portal/email/signup_confirmation.txt",
            {
                "pending": pending,
                "link": _site_link("portal:signup_confirm", token),
                "hours": settings.SIGNUP_CONFIRMATION_VALIDITY_HOURS,
            },
        )
    send_mail(subject, body, None, [pending.email])


def send_signup_notice_email(*, email, language):
    """Tell an account's owner that someone tried to register with their address."""
    with translation.override(language):
        subject = _("Registration attempt with your address on the Industrie du Futur portal")
        body = render_to_string(
            "portal/email/signup_existing_account.txt",
            {"login_link": _site_link("login"), "reset_link": _site_link("password_reset")},
        )
    send_mail(subject, body, None, [email])


def find_usable_signup(token):
    """The pending sign-up behind a link, or SignupLinkError saying why it can't be used."""
    pending = PendingSignup.objects.filter(token_hash=PendingSignup.hash_token(token)).first()
    if pending is None:
        raise SignupLinkError(_("This confirmation link is not valid. Check that you copied the whole link."))
    if pending.is_used:
        raise SignupLinkError(_("This confirmation link has already been used. Log in to reach your company."))
    if pending.is_expired:
        raise SignupLinkError(_("This confirmation link has expired. Register again to receive a new one."))
    return pending


@transaction.atomic
def confirm_signup(token):
    """Create the account, the company and the owner membership from a confirmed sign-up; once."""
    pending = find_usable_signup(token)
    pending = PendingSignup.objects.select_for_update().get(pk=pending.pk)
    if pending.is_used:
        raise SignupLinkError(_("This confirmation link has already been used. Log in to reach your company."))
    user = sign_up_company(
        email=pending.email,
        password_hash=pending.password_hash,
        first_name=pending.first_name,
        last_name=pending.last_name,
        company_name=pending.company_name,
        siret=pending.siret,
        naf_division=pending.naf_division,
        headcount_band=pending.headcount_band,
        region=pending.region,
        language=pending.language,
    )
    pending.confirmed_at = timezone.now()
    pending.password_hash = ""  # the account holds it now
    pending.save(update_fields=["confirmed_at", "password_hash"])
    return user


@transaction.atomic
def sign_up_company(
    *,
    email,
    password_hash,
    first_name,
    last_name,
    company_name,
    siret,
    naf_division,
    headcount_band,
    region,
    language,
):
    """Create the manager's account, the company and the owner membership, all or nothing.

    Takes the password already hashed (it was hashed when the sign-up was requested). A concurrent
    sign-up that took the e-mail or the SIRET meanwhile raises SignupConflict.
    """
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, first_name=first_name, last_name=last_name, preferred_language=language
            )
            user.password = password_hash
            user.save(update_fields=["password"])
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
