"""Celery entry points of the regions app: thin, they take ids and call a service; safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_transition_email(transition_id):
    from regions.services.notifications import send_transition_email as send

    return send(transition_id=transition_id)
