"""Celery entry points of the diagnostics app: thin, they take ids and call a service.

The render task runs on the `reports` queue (settings: CELERY_TASK_ROUTES) with late acks and
`reject_on_worker_lost`: a render whose worker dies is delivered again, and the attempt counter on
the report row (services.report.render_report) marks it failed after three attempts instead of looping.
Only transient errors (database connection, storage) are retried, with exponential backoff.
"""

from celery import shared_task

from diagnostics import peer_publication
from diagnostics.services import report as reports
from diagnostics.services import respondents
from portal.background import DELIVERY

QUEUE = "reports"


@shared_task(
    name="diagnostics.render_report",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=reports.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=reports.MAX_ATTEMPTS,
    ignore_result=True,
)
def render_report_task(report_id):
    reports.render_report(report_id)


@shared_task(
    name="diagnostics.requeue_stuck_reports",
    ignore_result=True,
    expires=240,  # a sweep that waited longer than the beat interval is superseded by the next one
)
def requeue_stuck_reports_task():
    reports.requeue_stuck_reports()


@shared_task(
    name="diagnostics.notify_report_ready",
    **DELIVERY,  # retried on SMTP and connection errors
)
def notify_report_ready_task(report_id):
    reports.notify_report_ready(report_id)


@shared_task(
    name="diagnostics.refresh_peer_publication",
    ignore_result=True,
    expires=600,  # the figures are stale by then: the next request schedules another refresh
)
def refresh_peer_publication_task(referential_code):
    peer_publication.run_scheduled_refresh(referential_code)


@shared_task(name="diagnostics.notify_respondent", **DELIVERY)
def notify_respondent(respondent_id):
    respondents.send_respondent_email(respondent_id)
