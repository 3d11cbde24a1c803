"""E-mails to the people a change concerns: one e-mail per recipient, in their language, at most once.

- `send_each(recipients, message)`: one e-mail to each recipient, the message rendered in the
  recipient's language (`message(recipient)` returns the subject and body, called with that language
  active). A recipient with an account also finds the message in their inbox, in every language of
  the portal, and gets the e-mail as they chose (at once, in the daily digest, or not at all:
  `portal.services.inbox`). Returns how many e-mails were sent now.
- `notify_once(queryset, pk, recipients=…, message=…)`: the same for one outbox row (a transition
  record whose `notified_at` is still empty): the row is locked, the e-mails sent and the row marked
  in one transaction, so a task delivered twice sends once; should sending fail, nothing is marked and
  the task's retry (or the outbox sweeper, `portal.background`) sends again: at least once.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import EmailDelivery, InboxMessage, User


@dataclass(frozen=True)
class Recipient:
    """Whom to tell, and in which language; `user` when the recipient has an account."""

    email: str
    language: str
    user: object = None

    @classmethod
    def of(cls, user, language=None):
        """A user, in `language` or else the one they chose."""
        return cls(email=user.email, language=language or user.preferred_language or settings.LANGUAGE_CODE, user=user)


def site_link(url_name, *args):
    """An absolute link to a page of the portal, for an e-mail."""
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


def send_each(recipients, message):
    """Send one e-mail to each recipient (duplicates by address once), in their language."""
    sent, seen = 0, set()
    for recipient in recipients:
        if not recipient.email or recipient.email in seen:
            continue
        seen.add(recipient.email)
        if recipient.user is not None and not _keep_in_inbox(recipient, message):
            continue  # in the inbox; the e-mail waits for the digest, or is not wanted
        with translation.override(recipient.language):
            subject, body = message(recipient)
        sent += send_mail(subject, body, None, [recipient.email])
    return sent


@transaction.atomic
def _keep_in_inbox(recipient, message):
    """Keep the message in the recipient's inbox in each language; True when it is e-mailed at once."""
    user = recipient.user
    subject, body = {}, {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            subject[code], body[code] = message(replace(recipient, language=code))
    at_once = user.email_delivery == EmailDelivery.IMMEDIATE
    now = timezone.now()
    InboxMessage.objects.create(
        recipient=user, subject=subject, body=body, created_at=now, emailed_at=now if at_once else None
    )
    User.objects.filter(pk=user.pk).update(unread_messages=F("unread_messages") + 1)
    return at_once


def notify_once(queryset, pk, *, recipients, message):
    """Tell the recipients of the outbox row `pk` of `queryset`, unless it was done already.

    `recipients(row)` lists the `Recipient`s; `message(row, recipient)` returns (subject, body).
    Returns how many e-mails were sent (0 when the row is gone or already marked).
    """
    with transaction.atomic():
        row = queryset.select_for_update(of=("self",)).filter(pk=pk, notified_at=None).first()
        if row is None:
            return 0
        sent = send_each(recipients(row), lambda recipient: message(row, recipient))
        queryset.model.objects.filter(pk=row.pk).update(notified_at=timezone.now())
    return sent
