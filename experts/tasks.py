"""Celery entry points of the experts app: thin, they take ids and call a service. Safe to run twice."""

from celery import shared_task

from experts.services import notifications


@shared_task(
    name="experts.notify_assignment_transition",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def notify_assignment_transition(transition_id):
    notifications.send_assignment_step_emails(transition_id)


@shared_task(
    name="experts.notify_accreditation_change",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def notify_accreditation_change(transition_id):
    notifications.send_accreditation_email(transition_id)
