"""Retention: what is deleted once it has been kept long enough (`manage.py purge_expired`, daily by beat).

The identity layer purges invitations that expired unused and sign-up requests (expired unconfirmed
ones, and confirmed ones whose data now live in the account); the apps above add their own purges
through `register_retention` (e.g. abandoned draft diagnostics). Django's expired sessions are
cleared too.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.models import Invitation, PendingSignup
from portal.privacy import register_retention, retention_purges

logger = logging.getLogger("portal.privacy")


@transaction.atomic
def purge_expired_invitations(*, now):
    """Invitations never accepted whose link expired more than RETENTION_EXPIRED_INVITATION_DAYS ago."""
    cutoff = now - timedelta(days=settings.RETENTION_EXPIRED_INVITATION_DAYS)
    deleted, _ = Invitation.objects.filter(accepted_at=None, expires_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def purge_expired_signups(*, now):
    """Sign-up requests older than RETENTION_EXPIRED_SIGNUP_DAYS after their link expired, confirmed or not
    (a confirmed one's data live in the account it created)."""
    cutoff = now - timedelta(days=settings.RETENTION_EXPIRED_SIGNUP_DAYS)
    deleted, _ = PendingSignup.objects.filter(Q(expires_at__lt=cutoff)).delete()
    return deleted


def register():
    register_retention("invitations", purge_expired_invitations)
    register_retention("signups", purge_expired_signups)


def purge_expired(*, now=None):
    """Run every registered purge and clear the expired sessions; returns {purge name: rows deleted}."""
    now = now or timezone.now()
    counts = {}
    for name, purge in retention_purges().items():
        counts[name] = purge(now=now)
    call_command("clearsessions")
    logger.info("Retention purge: %s", ", ".join(f"{name} {count}" for name, count in counts.items()) or "nothing")
    return counts
