"""Celery entry points of the experts app: thin, they take ids and call a service. Safe to run twice."""

from celery import shared_task

from experts.services import notifications
from portal.background import DELIVERY


@shared_task(
    name="experts.notify_assignment_transition",
    **DELIVERY,
)
def notify_assignment_transition(transition_id):
    notifications.send_assignment_step_emails(transition_id)


@shared_task(
    name="experts.notify_accreditation_change",
    **DELIVERY,
)
def notify_accreditation_change(transition_id):
    notifications.send_accreditation_email(transition_id)
