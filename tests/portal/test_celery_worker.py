"""The invitation e-mail goes through the real broker and a real worker when REDIS_URL is set."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from portal.celery import app as celery_app
from portal.services import invite_colleague
from tests.polling import wait_until
from tests.portal.factories import OwnerFactory


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_delivered_by_a_real_worker_through_redis():
    owner = OwnerFactory().user
    company = owner.memberships.get().company
    assert celery_app.conf.task_always_eager is False
    assert celery_app.conf.broker_url.startswith("redis://")

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        invite_colleague(company=company, email="worker@example.fr", by=owner)
        assert wait_until(lambda: mail.outbox, timeout=30), "the worker delivered no e-mail"

    assert [message.to for message in mail.outbox] == [["worker@example.fr"]]
    assert company.name in mail.outbox[0].subject
