"""The results page reads a diagnostic's latest report and latest ready report in one query."""

import pytest
from django.utils import timezone

from diagnostics.models import Diagnostic, Report
from diagnostics.services import report as reports
from tests.diagnostics.report_support import submit

pytestmark = pytest.mark.django_db


def annotated(diagnostic):
    return Diagnostic.objects.annotate(**reports.latest_report_annotations()).get(pk=diagnostic.pk)


def test_without_a_report_nothing_is_queried(company, owner, django_assert_num_queries):
    diagnostic = annotated(submit(company, owner))
    Report.objects.filter(diagnostic=diagnostic).delete()
    diagnostic = annotated(diagnostic)
    with django_assert_num_queries(0):
        assert reports.latest_reports(diagnostic) == (None, None)


def test_a_report_being_rendered_comes_with_the_latest_ready_one_in_one_query(
    company, owner, django_assert_num_queries
):
    diagnostic = submit(company, owner)
    Report.objects.filter(diagnostic=diagnostic).delete()
    ready = Report.objects.create(
        diagnostic=diagnostic,
        content_hash="a" * 64,
        language="fr",
        status=Report.Status.READY,
        file="reports/old.pdf",
        sha256="c" * 64,
        rendered_at=timezone.now(),
    )
    queued = Report.objects.create(diagnostic=diagnostic, content_hash="b" * 64, language="fr")
    diagnostic = annotated(diagnostic)
    with django_assert_num_queries(1):
        assert reports.latest_reports(diagnostic) == (queued, ready)
    assert (reports.latest_report(diagnostic), reports.latest_ready_report(diagnostic)) == (queued, ready)
