"""The diagnostics app's side effects with the broker down (the render and the peer refresh have their
own tests in test_reports.py and test_peer_refresh.py): the submit and the render go through."""

from unittest import mock

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from diagnostics.models import Report
from diagnostics.services import report as reports
from diagnostics.tasks import notify_report_ready_task
from tests.diagnostics.report_support import submit

pytestmark = pytest.mark.django_db


def test_a_report_rendered_while_the_broker_is_down_is_ready_without_its_email(
    company, owner, django_capture_on_commit_callbacks
):
    report = reports.request_report(submit(company, owner), enqueue=False)
    with (
        mock.patch.object(notify_report_ready_task, "apply_async", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rendered = reports.render_report(report.pk)
    assert rendered.status == Report.Status.READY
    assert mail.outbox == []
