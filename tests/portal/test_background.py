"""Side effects after commit (portal.background) and e-mails told once (portal.notifications): a broker
outage never fails the use case, what it left undone is swept up, deliveries retry on SMTP errors."""

import logging
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import background
from portal.models import Invitation, PendingSignup
from portal.notifications import Recipient, send_each
from portal.tasks import deliver_invitation, deliver_signup_confirmation
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def broker_down(task):
    return mock.patch.object(task, "apply_async", side_effect=OperationalError("Connection refused"))


def test_enqueue_publishes_the_task_with_its_arguments():
    with mock.patch.object(deliver_invitation, "apply_async") as apply_async:
        assert background.enqueue(deliver_invitation, 7, "token") is True
    assert apply_async.call_args.args[0] == (7, "token")


def test_enqueue_logs_a_broker_outage_instead_of_raising(caplog):
    with broker_down(deliver_invitation), caplog.at_level(logging.WARNING, logger="portal.background"):
        assert background.enqueue(deliver_invitation, 7, "token") is False
    assert "not enqueued" in caplog.text


def test_enqueue_after_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(deliver_invitation, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks() as callbacks:
            background.enqueue_after_commit(deliver_invitation, 7, "token")
            apply_async.assert_not_called()
        for callback in callbacks:
            callback()
    apply_async.assert_called_once()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_for_a_change_that_rolled_back():
    with mock.patch.object(deliver_invitation, "apply_async") as apply_async:
        with transaction.atomic():
            background.enqueue_after_commit(deliver_invitation, 7, "token")
            transaction.set_rollback(True)
        apply_async.assert_not_called()


def test_an_invitation_is_made_while_the_broker_is_down(client, owner, company, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with broker_down(deliver_invitation), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": "x@example.fr"})
    assert response.status_code == 302
    assert Invitation.objects.filter(company=company, email="x@example.fr").exists()
    assert mail.outbox == []


def test_a_sign_up_is_recorded_while_the_broker_is_down(client, django_capture_on_commit_callbacks):
    from tests.portal.test_signup import post_signup

    with broker_down(deliver_signup_confirmation), django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client)
    assert response.status_code == 302 and response.url == reverse("portal:signup_sent")
    assert PendingSignup.objects.exists()


@pytest.mark.parametrize("error", [SMTPServerDisconnected("gone"), ConnectionResetError("reset"), TimeoutError()])
def test_deliveries_are_retried_on_smtp_and_network_errors(owner, company, error):
    from portal.services import invite_colleague

    invitation, token = invite_colleague(company=company, email="x@example.fr", by=owner)
    with mock.patch("portal.services.accounts.send_mail", side_effect=error), pytest.raises(Retry):
        deliver_invitation.delay(invitation.pk, token)  # in-process: the retry is asked for, not run


def test_a_bug_in_a_delivery_is_not_retried(owner, company):
    from portal.services import invite_colleague

    invitation, token = invite_colleague(company=company, email="x@example.fr", by=owner)
    with mock.patch("portal.services.accounts.send_mail", side_effect=ValueError("bug")), pytest.raises(ValueError):
        deliver_invitation.delay(invitation.pk, token)


def test_send_each_sends_one_email_per_address_in_the_recipients_language():
    french, english = UserFactory(preferred_language="fr"), UserFactory(preferred_language="en")
    from django.utils.translation import gettext as _

    sent = send_each(
        [Recipient.of(french), Recipient.of(english), Recipient.of(english)],
        lambda recipient: (_("Action refused"), recipient.email),
    )
    assert sent == 2
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([french.email], "Action refusée"),
        ([english.email], "Action refused"),
    ]


def test_a_sweep_runs_every_sweeper_even_after_one_fails(caplog):
    calls = []

    def failing(since, until):
        raise RuntimeError("bug")

    def working(since, until):
        calls.append((since, until))
        return 3

    now = timezone.now()
    with mock.patch.object(background, "_sweepers", {"failing": failing, "working": working}):
        assert background.sweep(now=now) == {"failing": 0, "working": 3}
    assert calls == [(now - background.SWEEP_WINDOW, now - background.SWEEP_GRACE)]
    assert "sweeper failing failed" in caplog.text


def test_the_sweep_task_is_on_the_beat_schedule(settings):
    assert {"task": "portal.sweep", "schedule": 300.0} in settings.CELERY_BEAT_SCHEDULE.values()
