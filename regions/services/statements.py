"""The PDF closing statement of a settled programme: requested when the programme is closed for good,
rendered by the report workers (`regions.tasks.render_closing_statement`, the `reports` queue), stored
through the `reports` storage. Idempotent: a ready statement is never rendered again, and a second
delivery of the task finds it ready (the row is locked for the render)."""

import hashlib
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.background import enqueue
from portal.storage import STORAGE_ERRORS
from regions.closing import closing_statement
from regions.models import ClosingStatement
from regions.models.closing import statement_file_name, statement_storage

logger = logging.getLogger(__name__)

TEMPLATE = "regions/closing_statement_pdf.html"
# What the task retries with backoff (at most MAX_ATTEMPTS times); anything else is a bug in the data
# or the layout: the row is marked failed with the error.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, *STORAGE_ERRORS)


def request_statement(*, programme, by):
    """The programme's statement row (created queued, in the active language), its render enqueued once
    the transaction commits unless it is ready. Returns the row."""
    statement, _created = ClosingStatement.objects.get_or_create(
        programme=programme, defaults={"language": translation.get_language() or "fr", "requested_by": by}
    )
    if statement.status != ClosingStatement.Status.READY:
        if statement.status == ClosingStatement.Status.FAILED:  # asked again: a fresh set of attempts
            ClosingStatement.objects.filter(pk=statement.pk).update(
                status=ClosingStatement.Status.QUEUED, attempts=0, error=""
            )
        transaction.on_commit(partial(enqueue_render, statement.pk))
    return statement


def enqueue_render(statement_id):
    from regions.tasks import render_closing_statement

    return enqueue(render_closing_statement, statement_id)


def statement_html(programme, *, language):
    """The printable HTML of the programme's closing statement, in `language`."""
    with translation.override(language):
        return render_to_string(TEMPLATE, {"statement": closing_statement(programme), "drawn_on": timezone.localdate()})


def render_statement(statement_id):
    """Render the statement if it is not ready yet; safe to run any number of times. Returns the row.
    Raises a TRANSIENT_ERRORS exception (nothing written) for the task to retry."""
    from diagnostics.reports.pdf import html_to_pdf  # WeasyPrint is imported inside the render only

    with transaction.atomic():
        statement = (
            ClosingStatement.objects.select_for_update()
            .select_related("programme__region")
            .filter(pk=statement_id)
            .first()
        )
        if statement is None or statement.status != ClosingStatement.Status.QUEUED:
            return statement
        statement.attempts += 1
        try:
            rendered = html_to_pdf(statement_html(statement.programme, language=statement.language))
            digest = hashlib.sha256(rendered.data).hexdigest()
            statement.file.name = _store(statement_file_name(statement.programme_id, digest), rendered.data)
        except TRANSIENT_ERRORS:
            raise  # nothing written: the task retries with backoff
        except Exception as error:
            logger.exception("closing statement %s: render failed", statement_id)
            statement.status = ClosingStatement.Status.FAILED
            statement.error = f"{type(error).__name__}: {error}"[:2000]
            statement.save(update_fields=["status", "error", "attempts"])
            return statement
        statement.sha256 = digest
        statement.status = ClosingStatement.Status.READY
        statement.rendered_at = timezone.now()
        statement.error = ""
        statement.save(update_fields=["file", "sha256", "status", "rendered_at", "error", "attempts"])
        return statement


def _store(name, data):
    """Write the PDF once under its content-addressed name."""
    storage = statement_storage()
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # a concurrent render stored the same bytes first: keep theirs
            storage.delete(saved)
    return name
