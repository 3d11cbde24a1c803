"""PDF reports of submitted diagnostics: request, render (in a Celery worker), sweep, notify.

At-least-once and idempotent (docs/background-work.md):
- `request_report` computes the content hash of the report's inputs and gets or creates the one row
  for (diagnostic, hash); it enqueues the render once its transaction commits, passing the id only.
  The same inputs give the same row: a ready report is reused, never rendered twice.
- `render_report` may run any number of times for the same id (duplicate delivery, a worker lost in
  the middle, the sweeper). It claims an attempt in a short committed transaction (attempts + 1,
  status rendering) — after `MAX_ATTEMPTS` claims the report is failed, so a report that kills its
  worker cannot loop forever — then renders while holding the row lock, writes the file under its
  deterministic name and marks the row ready in that same transaction. A second delivery waits for
  the lock (or skips a row another worker is rendering) and finds it ready.
- `requeue_stuck_reports`, run by beat, re-enqueues reports whose message was lost (broker down
  at submit, worker killed past the retries) and requests the missing report of any submitted
  diagnostic.
"""

import hashlib
import logging
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.exceptions import ReportError, ReportUnavailable, TransientReportError
from diagnostics.models import Diagnostic, Report
from diagnostics.models.report import report_file_name, report_storage
from diagnostics.reports.access import can_rerender_report
from diagnostics.reports.content import content_hash, report_content, report_inputs
from diagnostics.reports.html import report_html
from portal.background import enqueue
from portal.models import Membership
from portal.notifications import Recipient, send_each, site_link
from portal.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_ATTEMPTS",
    "TRANSIENT_ERRORS",
    "ReportError",
    "TransientReportError",
    "can_rerender_report",
    "latest_ready_report",
    "latest_report",
    "notify_report_ready",
    "render_report",
    "request_report",
    "request_report_after_submit",
    "requeue_stuck_reports",
]

MAX_ATTEMPTS = Report.MAX_ATTEMPTS
# A queued report whose render has not started after this long lost its message: enqueue it again.
QUEUED_DEADLINE = timedelta(minutes=5)
# A render cannot outlive the hard time limit (the child is killed): a report still "rendering" a
# minute past it lost its worker (kill -9, lost host), and the broker gives its message back at
# the same moment (the visibility timeout follows the same limit): enqueue it again.
RENDERING_DEADLINE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
SWEEP_BATCH = 200
# Submitted diagnostics that have no report yet (e.g. all of them after an upgrade that adds reports)
# are requested a few per sweep, oldest first, so the reports queue is never flooded at once.
SWEEP_NEW_BATCH = 20


# What the task retries (with backoff); anything else is a bug in the data or the layout: no retry.
TRANSIENT_ERRORS = (TransientReportError, OperationalError, InterfaceError)


# --- Requesting --------------------------------------------------------------------------------


def latest_report(diagnostic):
    """The diagnostic's most recent report row (any status), or None. One query."""
    return Report.objects.filter(diagnostic_id=diagnostic.pk).order_by("-created_at", "-pk").first()


def latest_ready_report(diagnostic):
    """The diagnostic's most recent ready report, or None. One query."""
    return Report.objects.ready().filter(diagnostic_id=diagnostic.pk).order_by("-rendered_at", "-pk").first()


def latest_report_annotations():
    """Annotations for a Diagnostic queryset: the ids of each diagnostic's latest report (any status)
    and latest ready report, as `latest_report` and `latest_ready_report` choose them (`latest_reports` reads them)."""
    return {
        "latest_report_id": Subquery(
            Report.objects.filter(diagnostic_id=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
        ),
        "latest_ready_report_id": Subquery(
            Report.objects.ready().filter(diagnostic_id=OuterRef("pk")).order_by("-rendered_at", "-pk").values("pk")[:1]
        ),
    }


def latest_reports(diagnostic):
    """(latest report, latest ready report) of a diagnostic fetched with `latest_report_annotations()`:
    both rows in one query, none when the diagnostic has no report."""
    ids = {diagnostic.latest_report_id, diagnostic.latest_ready_report_id} - {None}
    rows = {report.pk: report for report in Report.objects.filter(pk__in=ids)} if ids else {}
    return rows.get(diagnostic.latest_report_id), rows.get(diagnostic.latest_ready_report_id)


def request_report(diagnostic, by=None, *, enqueue=True):
    """Get or create the report of the diagnostic's current inputs and enqueue its render after commit
    (with `enqueue=False`, the caller renders it: `render_report(report.pk)`).

    Returns the row. A ready row whose file exists is returned as is (nothing is rendered); a failed
    one is given a fresh set of attempts; a queued one is enqueued again (the render is idempotent).
    Raises ReportError for a draft.
    """
    try:
        inputs = report_inputs(diagnostic)
    except ReportUnavailable as error:
        raise ReportError(_("Only a submitted diagnostic has a report.")) from error
    digest = content_hash(inputs)
    # Without a lock first: a ready report is the common answer, and a report being rendered is locked
    # by its worker for the length of the render (no need to wait for it).
    report = Report.objects.filter(diagnostic_id=diagnostic.pk, content_hash=digest).first()
    if report is not None and _nothing_to_do(report):
        return report
    with transaction.atomic():
        report = _get_or_create_locked(diagnostic.pk, digest, language=inputs["language"], by=by)
        if _nothing_to_do(report):
            return report
        report.status = Report.Status.QUEUED
        report.attempts = 0
        report.error = ""
        report.enqueued_at = timezone.now()
        report.save(update_fields=["status", "attempts", "error", "enqueued_at"])
        if enqueue:
            transaction.on_commit(partial(enqueue_render, report.pk))
    return report


def _nothing_to_do(report):
    """Ready with its file, or being rendered by a live worker."""
    if report.status == Report.Status.READY:
        return _file_exists(report)
    return report.status == Report.Status.RENDERING and not _is_stale(report.started_at, RENDERING_DEADLINE)


def _get_or_create_locked(diagnostic_id, digest, *, language, by):
    """The (diagnostic, hash) row, locked; created if missing, even when a concurrent request races us."""
    lookup = {"diagnostic_id": diagnostic_id, "content_hash": digest}
    report = Report.objects.select_for_update().filter(**lookup).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            Report.objects.create(**lookup, language=language, requested_by=by, enqueued_at=timezone.now())
    except IntegrityError:
        pass  # the concurrent request created it: lock theirs
    return Report.objects.select_for_update().get(**lookup)


def enqueue_render(report_id):
    """Publish the render task. A broker outage is logged, not raised: the row stays queued and the
    sweeper enqueues it again once the broker is back."""
    from diagnostics.tasks import render_report_task

    return enqueue(render_report_task, report_id)


def request_report_after_submit(diagnostic_id):
    """The on-submit hook (`extensions.register_on_submit`), also run when an expert review of the
    diagnostic is submitted: request the report of its current inputs, which
    freezes its figures of the day (peer group, next steps: `reports.snapshot`).

    Runs after the submit committed, in the submitter's request: it must never fail that request. On
    any error the diagnostic has no report row yet, and the sweeper requests it.
    """
    try:
        diagnostic = Diagnostic.objects.select_related("submitted_by").get(pk=diagnostic_id)
        return request_report(diagnostic, by=diagnostic.submitted_by)
    except Exception:
        logger.exception("diagnostic %s: the report could not be requested; the sweeper will", diagnostic_id)
        return None


# --- Rendering ---------------------------------------------------------------------------------


def render_report(report_id, *, notify=True):
    """Render the report `report_id` if it is not ready yet; safe to call any number of times.

    Returns the row (None if it no longer exists). Raises a TRANSIENT_ERRORS exception for the task
    to retry with backoff; marks the row failed on any other error or after MAX_ATTEMPTS attempts.
    """
    report = _claim(report_id)
    if report is None or report.status != Report.Status.RENDERING:
        return report if report is not None else Report.objects.filter(pk=report_id).first()
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().select_related("diagnostic").get(pk=report_id)
            if report.status != Report.Status.RENDERING:
                return report  # finished by a duplicate delivery while we waited for the lock
            _render_into(report)
            if notify:
                transaction.on_commit(partial(enqueue_ready_notification, report.pk))
        return report
    except TRANSIENT_ERRORS as error:
        _record_error(report_id, error, final=False)
        raise
    except Exception as error:
        logger.exception("report %s: render failed", report_id)
        return _record_error(report_id, error, final=True)


def _claim(report_id):
    """Count one attempt and mark the row rendering, in a short committed transaction.

    Returns the row: `rendering` when this call may render it; another status when there is nothing
    to do (ready, failed, or locked by a worker rendering it right now); None when it does not exist.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None:  # no such row, or a worker holds its lock while rendering it
            return Report.objects.filter(pk=report_id).exclude(status=Report.Status.RENDERING).first()
        if report.status == Report.Status.READY and _file_exists(report):
            return report
        if report.status == Report.Status.FAILED:
            return report
        if report.attempts >= MAX_ATTEMPTS:
            report.status = Report.Status.FAILED
            report.error = report.error or _("Rendering stopped after %(count)s attempts.") % {"count": MAX_ATTEMPTS}
            report.save(update_fields=["status", "error"])
            logger.error("report %s: failed after %s attempts", report_id, MAX_ATTEMPTS)
            return report
        report.status = Report.Status.RENDERING
        report.attempts += 1
        report.started_at = timezone.now()
        report.save(update_fields=["status", "attempts", "started_at"])
        return report


def _render_into(report):
    """Build the content, lay it out, store the PDF under its content-addressed name, mark the row ready."""
    from diagnostics.reports.pdf import html_to_pdf  # imports WeasyPrint lazily

    started = time.perf_counter()
    content = report_content(report.diagnostic_id)
    rendered = html_to_pdf(report_html(content))
    elapsed = time.perf_counter() - started
    digest = hashlib.sha256(rendered.data).hexdigest()
    name = _store(report_file_name(report.diagnostic_id, digest), rendered.data)
    report.file.name = name
    report.sha256 = digest
    report.size = len(rendered.data)
    report.page_count = rendered.page_count
    report.render_seconds = round(elapsed, 3)
    report.rendered_at = timezone.now()
    report.status = Report.Status.READY
    report.error = ""
    report.save(
        update_fields=["file", "sha256", "size", "page_count", "render_seconds", "rendered_at", "status", "error"]
    )


def _store(name, data):
    """Write the PDF once under `name` (its own hash: an object already there holds these very bytes)
    and check that the storage holds all of it: a report is never marked ready without its file."""
    storage = report_storage()
    try:
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(data))
            if saved != name:  # a concurrent render stored the same bytes first: keep theirs
                storage.delete(saved)
        stored_size = storage.size(name)
    except STORAGE_ERRORS as error:
        raise TransientReportError(f"storage: {error}") from error
    if stored_size != len(data):
        raise TransientReportError(f"storage: {name} holds {stored_size} bytes, {len(data)} were written")
    return name


def _record_error(report_id, error, *, final):
    """After a failed attempt: queued again (transient, attempts left) or failed, with the error."""
    message = f"{type(error).__name__}: {error}"[:2000]
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or report.status == Report.Status.READY:
                return report
            last = final or report.attempts >= MAX_ATTEMPTS
            report.status = Report.Status.FAILED if last else Report.Status.QUEUED
            report.error = message
            report.save(update_fields=["status", "error"])
            return report
    except DatabaseError:
        logger.exception("report %s: could not record the error %s", report_id, message)
        return None


def _file_exists(report):
    try:
        return bool(report.file.name) and report_storage().exists(report.file.name)
    except STORAGE_ERRORS:
        return False


def _is_stale(moment, deadline):
    return moment is None or moment < timezone.now() - deadline


# --- Sweeping ----------------------------------------------------------------------------------


def requeue_stuck_reports(older_than=QUEUED_DEADLINE, rendering_older_than=RENDERING_DEADLINE):
    """Enqueue again the reports stuck queued (or rendering) past the deadlines; request the report of
    every submitted diagnostic that has none. Returns the ids of the reports enqueued."""
    now = timezone.now()
    stuck = list(
        Report.objects.filter(status=Report.Status.QUEUED, enqueued_at__lt=now - older_than).values_list(
            "pk", flat=True
        )[:SWEEP_BATCH]
    ) + list(
        Report.objects.filter(status=Report.Status.RENDERING, started_at__lt=now - rendering_older_than).values_list(
            "pk", flat=True
        )[:SWEEP_BATCH]
    )
    enqueued = []
    for report_id in stuck:
        Report.objects.filter(pk=report_id).update(enqueued_at=now)
        if enqueue_render(report_id):
            enqueued.append(report_id)
    without_report = (
        Diagnostic.objects.filter(status=Diagnostic.Status.SUBMITTED)
        .exclude(Exists(Report.objects.filter(diagnostic=OuterRef("pk"))))
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:SWEEP_NEW_BATCH]
    )
    for diagnostic_id in list(without_report):
        report = request_report_after_submit(diagnostic_id)
        if report is not None:
            enqueued.append(report.pk)
    if enqueued:
        logger.info("report sweeper: enqueued %s report(s) again: %s", len(enqueued), enqueued)
    return enqueued


# --- Notifying ---------------------------------------------------------------------------------


def enqueue_ready_notification(report_id):
    from diagnostics.tasks import notify_report_ready_task

    enqueue(notify_report_ready_task, report_id)


def notify_report_ready(report_id):
    """E-mail the company's members that the report is ready, in the company's language (one e-mail each)."""
    report = Report.objects.select_related("diagnostic__company").filter(pk=report_id, status="ready").first()
    if report is None:
        return 0
    company = report.diagnostic.company
    members = Membership.objects.filter(company=company, user__is_active=True).select_related("user")
    link = site_link("diagnostics:results", report.diagnostic_id)

    def message(recipient):
        subject = _("Your diagnostic report is ready – %(company)s") % {"company": company.name}
        body = render_to_string(
            "diagnostics/report/email_ready.txt", {"report": report, "company": company, "link": link}
        )
        return subject, body

    return send_each([Recipient.of(m.user, company.language) for m in members.order_by("user__email")], message)
