"""Celery entry points of the regions app: thin, they take ids and call a service; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portal.background import DELIVERY, enqueue
from portal.storage import STORAGE_ERRORS


@shared_task(**DELIVERY)
def send_transition_email(transition_id):
    from regions.services.notifications import send_transition_email as send

    return send(transition_id=transition_id)


@shared_task(**DELIVERY)
def send_claim_email(transition_id):
    from regions.services.claim_notifications import send_claim_email as send

    return send(transition_id=transition_id)


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def book_visit_cost(visit_id):
    """Book a logged visit's cost on its enrolment; safe to run twice (one expense per visit)."""
    from regions.services.experts import book_visit_cost as book

    expense = book(visit_id=visit_id)
    return expense.pk if expense else None


def on_visit_logged(sender, visit_id, **kwargs):
    """Receiver of experts.events.visit_logged (sent after commit): enqueue the booking (a lost message
    is picked up by the unbooked visits' sweeper)."""
    enqueue(book_visit_cost, visit_id)


@shared_task(name="regions.publish_open_data")
def publish_open_data():
    """Nightly (beat): publish the open-data aggregates; a second run the same night publishes the same figures."""
    from regions.opendata.release import publish_release

    return publish_release().pk


@shared_task(name="regions.send_reassessment_invitations", ignore_result=True)
def send_reassessment_invitations():
    """Daily (beat): invite the companies whose T1 or T2 re-assessment is due; a second run sends nothing."""
    from regions.services.reassessment import send_due_invitations

    return send_due_invitations()


# Retried with backoff by the render (the database or the storage out of reach for a moment).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, *STORAGE_ERRORS)


@shared_task(
    name="regions.render_closing_statement",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
    ignore_result=True,
)
def render_closing_statement(statement_id):
    """Draw a settled programme's PDF closing statement (the `reports` queue, like the diagnostics' reports)."""
    from regions.services.statements import render_statement

    statement = render_statement(statement_id)
    return statement.status if statement else None
