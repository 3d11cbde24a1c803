"""The inbox: every message sent to a user is kept in each language, counted while unread, read on the
portal; e-mails arrive at once, in a daily digest or not at all, as the user chose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import EmailDelivery, InboxMessage
from portal.notifications import Recipient, send_each
from portal.services import inbox
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tell(user, subject="Action refused", body="Details: https://portal.example/x/"):
    return send_each([Recipient.of(user)], lambda recipient: (_(subject), f"{body} ({recipient.language})"))


def _unread(user):
    user.refresh_from_db(fields=["unread_messages"])
    return user.unread_messages


def test_a_message_is_kept_in_every_language_of_the_portal():
    user = UserFactory(preferred_language="en")
    _tell(user)
    message = InboxMessage.objects.get(recipient=user)
    assert message.subject == {"fr": "Action refusée", "en": "Action refused"}
    assert message.body["fr"].endswith("(fr)") and message.body["en"].endswith("(en)")


def test_a_message_counts_as_unread_until_read():
    user = UserFactory()
    _tell(user)
    _tell(user)
    assert _unread(user) == 2
    inbox.mark_read(user=user, message_id=InboxMessage.objects.filter(recipient=user).first().pk)
    assert _unread(user) == 1


def test_reading_a_message_twice_counts_it_once():
    user = UserFactory()
    _tell(user)
    _tell(user)
    message = InboxMessage.objects.filter(recipient=user).first()
    inbox.mark_read(user=user, message_id=message.pk)
    inbox.mark_read(user=user, message_id=message.pk)
    assert _unread(user) == 1


def test_mark_all_read_clears_the_count():
    user = UserFactory()
    for _i in range(3):
        _tell(user)
    assert inbox.mark_all_read(user=user) == 3
    assert _unread(user) == 0
    assert not InboxMessage.objects.filter(recipient=user, read_at=None).exists()


def test_a_user_cannot_mark_anothers_message(client):
    owner, intruder = UserFactory(), UserFactory()
    _tell(owner)
    message = InboxMessage.objects.get(recipient=owner)
    client.force_login(intruder)
    response = client.post(reverse("portal:inbox_mark_read", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None and _unread(owner) == 1


def test_immediate_delivery_sends_the_email_at_once():
    user = UserFactory()
    assert _tell(user) == 1
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert InboxMessage.objects.get(recipient=user).emailed_at is not None


def test_digest_delivery_keeps_the_email_for_the_digest():
    user = UserFactory(email_delivery=EmailDelivery.DIGEST)
    assert _tell(user) == 0
    assert mail.outbox == []
    assert InboxMessage.objects.get(recipient=user).emailed_at is None


def test_no_email_delivery_keeps_the_message_in_the_inbox_only():
    user = UserFactory(email_delivery=EmailDelivery.NONE)
    _tell(user)
    assert inbox.send_daily_digests() == 0
    assert mail.outbox == []
    assert _unread(user) == 1


def test_recipients_without_an_account_still_get_their_email():
    sent = send_each([Recipient(email="prospect@example.fr", language="fr")], lambda r: ("Objet", "Texte"))
    assert sent == 1 and not InboxMessage.objects.exists()


def test_the_daily_digest_lists_the_unread_messages_in_one_email():
    user = UserFactory(email_delivery=EmailDelivery.DIGEST, preferred_language="fr")
    _tell(user, subject="Action refused")
    _tell(user, subject="Not found")
    assert inbox.send_daily_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [user.email]
    assert "2 messages" in digest.subject
    assert "Action refusée" in digest.body and reverse("portal:inbox") in digest.body
    assert not InboxMessage.objects.filter(recipient=user, emailed_at=None).exists()


def test_a_second_digest_run_sends_nothing():
    user = UserFactory(email_delivery=EmailDelivery.DIGEST)
    _tell(user)
    assert inbox.send_daily_digests() == 1
    assert inbox.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_the_digest_leaves_out_what_was_read_on_the_portal():
    user = UserFactory(email_delivery=EmailDelivery.DIGEST)
    _tell(user)
    inbox.mark_all_read(user=user)
    assert inbox.send_daily_digests() == 0


def test_the_digest_leaves_out_messages_older_than_its_window():
    user = UserFactory(email_delivery=EmailDelivery.DIGEST)
    _tell(user)
    InboxMessage.objects.update(created_at=timezone.now() - inbox.DIGEST_WINDOW - timedelta(minutes=1))
    assert inbox.send_daily_digests() == 0


def test_the_digest_task_is_scheduled_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-daily-digests"]
    assert entry["task"] == "portal.send_daily_digests"
    assert entry["schedule"].hour == {7}


def test_the_inbox_page_shows_the_message_in_the_readers_language(client):
    user = UserFactory(preferred_language="fr")
    _tell(user)
    client.force_login(user)
    response = client.get(reverse("portal:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200 and "Action refused" in page
    assert 'href="https://portal.example/x/"' in page  # the link in the text can be followed


def test_the_header_shows_the_unread_count(client):
    user = UserFactory()
    _tell(user)
    _tell(user)
    client.force_login(user)
    page = client.get(reverse("portal:security")).content.decode()
    assert '<span class="badge text-bg-danger portal-unread-count">2</span>' in page


def test_the_unread_count_costs_no_query(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("portal:inbox"))  # warm what a first request loads once
    with CaptureQueriesContext(connection) as without_messages:
        client.get(reverse("portal:security"))
    _tell(user)
    with django_assert_num_queries(len(without_messages.captured_queries)):
        page = client.get(reverse("portal:security")).content.decode()
    assert '<span class="badge text-bg-danger portal-unread-count">1</span>' in page


def test_the_inbox_page_costs_the_same_queries_with_more_messages(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    _tell(user)
    with django_assert_max_num_queries(8) as counted:
        client.get(reverse("portal:inbox"))
    few = len(counted.captured_queries)
    for _i in range(30):
        _tell(user)
    with django_assert_max_num_queries(few):
        client.get(reverse("portal:inbox"))


def test_the_delivery_choice_is_saved(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("portal:email_delivery"), {"delivery": "digest"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_delivery == EmailDelivery.DIGEST


def test_an_unknown_delivery_choice_is_refused_with_a_message(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("portal:email_delivery"), {"delivery": "pigeon"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    user.refresh_from_db()
    assert user.email_delivery == EmailDelivery.IMMEDIATE


def test_closing_the_company_deletes_its_members_inbox():
    from portal.privacy.closure import close_company
    from tests.portal.factories import OwnerFactory

    owner = OwnerFactory(company__name="Forges Quintavalle")
    _tell(owner.user)
    close_company(company=owner.company, by=owner.user, confirmation="Forges Quintavalle")
    assert not InboxMessage.objects.filter(recipient=owner.user).exists()
    assert _unread(owner.user) == 0
