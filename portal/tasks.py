"""Celery entry points of the identity layer: thin, they take ids and call a service."""

from celery import shared_task

from portal.background import DELIVERY
from portal.models import Invitation, PendingSignup
from portal.services import inbox, send_invitation_email, send_signup_confirmation_email, send_signup_notice_email


@shared_task(**DELIVERY)
def deliver_invitation(invitation_id, token):
    invitation = Invitation.objects.select_related("company").filter(pk=invitation_id, accepted_at=None).first()
    if invitation is None:
        return  # accepted or deleted meanwhile: nothing to send
    send_invitation_email(invitation=invitation, token=token)


@shared_task(**DELIVERY)
def deliver_signup_confirmation(pending_id, token):
    pending = PendingSignup.objects.filter(pk=pending_id, confirmed_at=None).first()
    if pending is None:
        return  # confirmed or purged meanwhile: nothing to send
    send_signup_confirmation_email(pending=pending, token=token)


@shared_task(**DELIVERY)
def deliver_signup_notice(email, language):
    send_signup_notice_email(email=email, language=language)


@shared_task(name="portal.seal_audit_days")
def seal_audit_days():
    """Nightly (beat): seal the audit trail's past days, then anchor their digests outside the database;
    a second run finds nothing left to seal."""
    from portal.audit import seal
    from portal.audit_anchors import anchor

    sealed = seal()
    anchor()
    return len(sealed)


@shared_task(name="portal.anchor_audit_chain")
def anchor_audit_chain():
    """Hourly (beat): anchor the entries written since the last anchor and the current day's running
    digest outside the database (nothing without a signing key). Returns the anchors written."""
    from portal.audit_anchors import anchor

    return len(anchor())


@shared_task(name="portal.send_daily_digests", ignore_result=True)
def send_daily_digests():
    """Daily (beat): the digest e-mail of each user who chose one; a second run sends nothing more."""
    return inbox.send_daily_digests()


@shared_task(name="portal.purge_expired")
def purge_expired_data():
    """Daily (beat): the retention purge, as `manage.py purge_expired` runs it."""
    from portal.privacy.retention import purge_expired

    return purge_expired()


@shared_task(name="portal.sweep", ignore_result=True, expires=240)
def sweep_side_effects():
    """Every few minutes (beat): re-enqueue what lost messages left undone (portal.background.sweep)."""
    from portal.background import sweep

    return sweep()
