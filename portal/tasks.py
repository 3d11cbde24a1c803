"""Celery entry points of the identity layer: thin, they take ids and call a service."""

from celery import shared_task

from portal.models import Invitation
from portal.services import send_invitation_email


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def deliver_invitation(invitation_id, token):
    invitation = Invitation.objects.select_related("company").filter(pk=invitation_id, accepted_at=None).first()
    if invitation is None:
        return  # accepted or deleted meanwhile: nothing to send
    send_invitation_email(invitation=invitation, token=token)
