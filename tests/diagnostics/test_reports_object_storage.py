"""Reports on the S3-compatible server (every pass: CI's server on the PostgreSQL pass, one started by
the suite on the SQLite pass): nothing on any local disk, downloads through short-lived presigned
URLs signed only after the permission check, the privacy export read from the bucket, missing
objects and broken configurations reported as such."""

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from health_check.exceptions import ServiceUnavailable

from diagnostics.health import ReportFiles
from diagnostics.models import DiagnosticAccess, Report
from diagnostics.services import report as reports
from portal.health import FileStorage
from portal.storage import ObjectStorage, describe_storage_problem
from tests import objectstore
from tests.diagnostics.report_support import pdf_text, submit
from tests.storage_support import downloaded, fetch_status, object_storage_settings, stored_report_names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_object_storage(object_storage, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "disk-of-this-host"


def render(diagnostic):
    """What the worker does after the submit commits (on_commit hooks do not run in these tests)."""
    report = reports.request_report(diagnostic, enqueue=False)
    return reports.render_report(report.pk, notify=False)


@pytest.fixture
def ready(company, owner):
    report = render(submit(company, owner))
    assert report.status == Report.Status.READY
    return report


def download_url(report):
    return reverse("diagnostics:report_download", args=[report.diagnostic_id])


def test_a_rendered_report_lives_in_the_bucket_and_not_on_the_disk(ready, settings):
    assert stored_report_names(ready.diagnostic_id) == [f"reports/{ready.diagnostic_id}/{ready.sha256}.pdf"]
    assert not settings.MEDIA_ROOT.exists()
    assert isinstance(ready.file.storage, ObjectStorage)


def test_a_report_rendered_on_one_host_is_downloaded_from_another_with_an_empty_disk(
    client, owner, ready, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "disk-of-another-host"
    client.force_login(owner)
    response = client.get(download_url(ready))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    data, headers = downloaded(response)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''rapport-de-diagnostic-")
    assert ready.diagnostic.company.name in pdf_text(data)
    assert not settings.MEDIA_ROOT.exists()
    assert DiagnosticAccess.objects.filter(diagnostic=ready.diagnostic).count() == 0  # owners are not logged


def test_the_presigned_url_expires(client, owner, company, settings):
    """On a server whose clock can be moved: the link works now, and is refused once its life is over."""
    now = [datetime.now(UTC)]
    with objectstore.running_server(clock=lambda: now[0]) as (host, port):
        settings.STORAGES = object_storage_settings(f"http://{host}:{port}", "expiry", "t")
        from portal.storage import ensure_bucket

        ensure_bucket(storages["reports"])
        report = render(submit(company, owner))
        client.force_login(owner)
        link = client.get(download_url(report))["Location"]

        now[0] = datetime.now(UTC)  # the link was signed a moment ago (the render took a while)
        assert f"X-Amz-Expires={settings.FILE_URL_EXPIRY_SECONDS}" in link
        assert fetch_status(link) == 200
        now[0] += timedelta(seconds=settings.FILE_URL_EXPIRY_SECONDS - 5)
        assert fetch_status(link) == 200
        now[0] += timedelta(seconds=15)
        assert fetch_status(link) == 403


def test_a_link_signed_for_another_object_is_refused(client, owner, ready):
    client.force_login(owner)
    link = client.get(download_url(ready))["Location"]
    assert fetch_status(link.replace(ready.sha256, "0" * 64)) == 403


@pytest.mark.parametrize("role", ["other_company_member", "officer", "expert", "plain_user"])
def test_a_user_without_the_right_gets_a_404_and_no_url_is_signed(client, request, ready, role):
    client.force_login(request.getfixturevalue(role))
    with mock.patch.object(ObjectStorage, "url", autospec=True) as sign:
        response = client.get(download_url(ready))
    assert response.status_code == 404
    sign.assert_not_called()


def test_staff_download_is_logged_before_the_redirect(client, staff, ready):
    client.force_login(staff)
    response = client.get(download_url(ready))
    assert response.status_code == 302
    assert DiagnosticAccess.objects.filter(diagnostic=ready.diagnostic, user=staff).count() == 1


def test_a_missing_object_is_reported_and_not_produced_again(client, owner, ready):
    storages["reports"].delete(ready.file.name)
    client.force_login(owner)
    with mock.patch.object(reports, "enqueue_render") as enqueue:
        response = client.get(download_url(ready))
    assert response.status_code == 404
    assert "introuvable" in response.content.decode()
    enqueue.assert_not_called()
    ready.refresh_from_db()
    assert ready.status == Report.Status.READY and ready.attempts == 1
    with pytest.raises(ServiceUnavailable, match=rf"1 ready report\(s\) have no file in the storage: #{ready.pk}"):
        ReportFiles().run()


def test_the_health_check_passes_when_every_recent_report_has_its_file(ready):
    ReportFiles().run()
    FileStorage(alias="reports").run()


def test_the_privacy_export_holds_the_pdfs_read_from_the_bucket(client, owner, ready, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "disk-of-another-host"
    client.force_login(owner)
    response = client.post(reverse("portal:company_export", args=[ready.diagnostic.company_id]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    manifest = json.loads(archive.read("export.json"))
    assert manifest["missing_files"] == []
    (pdf_name,) = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert archive.read(pdf_name) == storages["reports"].open(ready.file.name).read()
    assert not settings.MEDIA_ROOT.exists()


def test_the_privacy_export_lists_a_missing_object(client, owner, ready):
    storages["reports"].delete(ready.file.name)
    client.force_login(owner)
    response = client.post(reverse("portal:company_export", args=[ready.diagnostic.company_id]))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("export.json"))
    assert len(manifest["missing_files"]) == 1 and manifest["missing_files"][0].endswith(".pdf")


# --- Broken configurations ----------------------------------------------------------------------


def broken(settings, **changes):
    files = settings.STORAGES["reports"]
    files = {**files, "OPTIONS": {**files["OPTIONS"], **changes}}
    settings.STORAGES = {**settings.STORAGES, "default": files, "reports": files}
    return storages["reports"]


def test_a_wrong_bucket_is_named_in_the_health_check(settings):
    storage = broken(settings, bucket_name="no-such-bucket-here")
    assert "the bucket does not exist" in describe_storage_problem(storage)
    with pytest.raises(ServiceUnavailable, match="no-such-bucket-here"):
        FileStorage(alias="reports").run()


def test_an_unreachable_endpoint_is_named_in_the_health_check(settings):
    storage = broken(settings, endpoint_url="http://127.0.0.1:9")  # the discard port: nothing listens
    assert "the endpoint cannot be reached" in describe_storage_problem(storage)


def test_refused_keys_are_named_in_the_health_check(settings):
    """The test server accepts any key for API calls (moto), so refused keys show on a signed link."""
    storage = broken(settings, secret_key="not-the-secret")
    link = storage.url("reports/x.pdf")
    assert fetch_status(link) == 403


@pytest.mark.parametrize(
    "changes",
    [{"bucket_name": "no-such-bucket-here"}, {"endpoint_url": "http://127.0.0.1:9"}],
    ids=["bucket", "endpoint"],
)
def test_no_report_is_marked_ready_without_its_file(company, owner, settings, changes):
    broken(settings, **changes)
    diagnostic = submit(company, owner)
    report = reports.request_report(diagnostic, enqueue=False)
    with pytest.raises(reports.TransientReportError, match="storage"):
        reports.render_report(report.pk, notify=False)  # the task retries it with backoff
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert report.file.name == "" and report.error.startswith("TransientReportError: storage")


def test_the_release_job_stops_on_a_missing_bucket_unless_asked_to_create_it(settings):
    from django.core.management.base import CommandError

    from portal.management.commands.release import Command

    broken(settings, bucket_name=f"new-deployment-{id(settings)}")
    with pytest.raises(CommandError, match="the bucket does not exist"):
        Command()._storage(create_bucket=False)
    Command()._storage(create_bucket=True)  # a new deployment: created, then checked
    assert describe_storage_problem(storages["reports"]) is None
