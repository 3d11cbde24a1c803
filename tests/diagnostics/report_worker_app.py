"""The Celery app of the kill test's worker subprocess (`celery -A tests.diagnostics.report_worker_app worker`).

The project's app, with the diagnostics tasks routed to the test's own queue, and a render that
first sleeps `REPORT_TEST_RENDER_DELAY` seconds so that the test can kill the pool child mid-render.
"""

import os
import time

from portal.celery import app

app.conf.task_routes = {"diagnostics.*": {"queue": os.environ["REPORT_TEST_QUEUE"]}}


@app.on_after_finalize.connect
def _slow_render(sender, **kwargs):
    from diagnostics.reports import pdf

    delay = float(os.environ.get("REPORT_TEST_RENDER_DELAY", "0"))
    real = pdf.html_to_pdf

    def slow(html, **options):
        time.sleep(delay)
        return real(html, **options)

    pdf.html_to_pdf = slow


__all__ = ["app"]
