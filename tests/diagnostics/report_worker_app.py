"""The Celery app of the kill test's worker subprocess (`celery -A tests.diagnostics.report_worker_app worker`).

The project's app, with the diagnostics tasks routed to the test's own queue, and a render that
waits, before it makes the PDF, until the test opens its gate (creates the file named by
`REPORT_TEST_RENDER_GATE`): the test kills the pool child while it waits there, mid-render, then
opens the gate for the render that follows.
"""

import os
from pathlib import Path

from portal.celery import app
from tests.polling import wait_until

GATE_TIMEOUT = 120  # seconds: longer than any test takes to kill the worker and open the gate

app.conf.task_routes = {"diagnostics.*": {"queue": os.environ["REPORT_TEST_QUEUE"]}}


@app.on_after_finalize.connect
def _gated_render(sender, **kwargs):
    from diagnostics.reports import pdf

    gate = Path(os.environ["REPORT_TEST_RENDER_GATE"])
    real = pdf.html_to_pdf

    def gated(html, **options):
        wait_until(gate.exists, GATE_TIMEOUT, interval=0.05)
        return real(html, **options)

    pdf.html_to_pdf = gated


__all__ = ["app"]
