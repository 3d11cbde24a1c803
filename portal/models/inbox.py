"""The in-app inbox: every message the portal sends a user by e-mail is also kept here, in each of the
portal's languages, with the user's choice of how the e-mails themselves reach them."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.TextChoices):
    """How a user's messages reach their mailbox (they are always in the inbox)."""

    IMMEDIATE = "immediate", _("one e-mail per message, at once")
    DIGEST = "digest", _("one e-mail a day listing the day's unread messages")
    NONE = "none", _("no e-mail: the inbox only")


class InboxMessage(models.Model):
    """One message to one user: subject and text in every language of the portal (`{"fr": …, "en": …}`),
    read or not. `emailed_at` is when it left by e-mail, at once or in a daily digest."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    subject = models.JSONField(_("subject"))
    body = models.JSONField(_("text"))
    created_at = models.DateTimeField(_("received at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="inbox_recipient_latest_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at=None, read_at=None),
                name="inbox_digest_pending_idx",
            ),
        ]

    def __str__(self):
        return self.subject_text

    def _in_language(self, texts):
        return texts.get(get_language() or settings.LANGUAGE_CODE) or texts.get(settings.LANGUAGE_CODE) or ""

    @property
    def subject_text(self):
        """The subject in the active language (the portal's default language otherwise)."""
        return self._in_language(self.subject)

    @property
    def body_text(self):
        return self._in_language(self.body)

    @property
    def is_unread(self):
        return self.read_at is None
