"""The in-app inbox (its messages are kept by `portal.notifications.send_each`): mark as read, choose
how e-mails arrive, and send the daily digest of those who chose one.

- `mark_read(user, message_id)`, `mark_all_read(user)`: the unread count follows.
- `set_email_delivery(user, delivery)`: at once, a daily digest, or none.
- `send_daily_digests()`: one e-mail to each user who chose the daily digest, listing their unread
  messages of the last day not e-mailed yet; a second run the same day sends nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from portal.models import EmailDelivery, InboxMessage, User
from portal.notifications import site_link

# A digest lists what arrived since the previous one; older unread messages (a user who just switched
# to the digest) stay in the inbox rather than fill a first digest with weeks of news.
DIGEST_WINDOW = timedelta(days=1, hours=12)
DIGEST_BATCH = 500


@transaction.atomic
def mark_read(*, user, message_id):
    """Mark one of `user`'s messages as read (404 for another's); return the message."""
    message = get_object_or_404(InboxMessage, pk=message_id, recipient=user)
    if InboxMessage.objects.filter(pk=message.pk, read_at=None).update(read_at=timezone.now()):
        User.objects.filter(pk=user.pk).update(unread_messages=Greatest(F("unread_messages") - 1, 0))
    message.refresh_from_db(fields=["read_at"])
    return message


@transaction.atomic
def mark_all_read(*, user):
    """Mark every message of `user` as read; return how many were unread."""
    count = InboxMessage.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
    User.objects.filter(pk=user.pk).update(unread_messages=0)
    return count


@transaction.atomic
def set_email_delivery(*, user, delivery):
    """Record how `user` wants their messages e-mailed; return the user."""
    user.email_delivery = EmailDelivery(delivery)
    user.save(update_fields=["email_delivery"])
    return user


def send_daily_digests(*, now=None):
    """Send each digest reader one e-mail with their unread, not yet e-mailed messages; return how many
    e-mails were sent. Each reader's messages are locked and marked in the transaction that sends."""
    now = now or timezone.now()
    readers = (
        _digest_pending(now)
        .filter(recipient__email_delivery=EmailDelivery.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()[:DIGEST_BATCH]
    )
    return sum(_send_digest(user_id=user_id, now=now) for user_id in list(readers))


def _digest_pending(now):
    return InboxMessage.objects.filter(
        emailed_at=None, read_at=None, created_at__gte=now - DIGEST_WINDOW, created_at__lte=now
    )


@transaction.atomic
def _send_digest(*, user_id, now):
    user = User.objects.filter(pk=user_id, is_active=True, email_delivery=EmailDelivery.DIGEST).first()
    if user is None:
        return 0
    messages = list(
        _digest_pending(now).filter(recipient=user).select_for_update(skip_locked=True).order_by("created_at", "pk")
    )
    if not messages:
        return 0  # another run holds them, or sent them already
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = ngettext(
            "Your message of the day on the Industrie du Futur portal",
            "Your %(count)d messages of the day on the Industrie du Futur portal",
            len(messages),
        ) % {"count": len(messages)}
        body = render_to_string(
            "portal/email/digest.txt",
            {
                "messages": messages,
                "inbox_link": site_link("portal:inbox"),
                "settings_link": site_link("portal:email_delivery"),
            },
        )
    send_mail(subject, body, None, [user.email])
    InboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(emailed_at=now)
    return 1
