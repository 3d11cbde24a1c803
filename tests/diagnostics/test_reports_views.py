"""The report's pages per role: status fragment (htmx polling), download, new render; and the fetcher."""

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Report
from diagnostics.reports.fetcher import BASE_URL, STATIC_ROOT, RefusedURL, static_path
from diagnostics.services import report as reports
from tests.diagnostics.factories import DiagnosticFactory
from tests.diagnostics.report_support import pdf_text, submit
from tests.portal.factories import MembershipFactory
from tests.storage_support import downloaded


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def diagnostic(company, owner):
    return submit(company, owner)


@pytest.fixture
def ready(diagnostic):
    report = reports.request_report(diagnostic)
    return reports.render_report(report.pk, notify=False)


def url(name, diagnostic):
    return reverse(f"diagnostics:{name}", args=[diagnostic.pk])


VIEWERS = ["owner", "member", "staff"]
STRANGERS = ["other_company_member", "officer", "expert", "plain_user"]


# --- Download ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", VIEWERS)
def test_members_and_staff_download_the_pdf(client, request, ready, diagnostic, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("report_download", diagnostic))
    assert response.status_code in (200, 302)  # streamed from disk, or a presigned URL of the object store
    assert "private" in response["Cache-Control"]
    data, headers = downloaded(response)
    assert headers["Content-Type"] == "application/pdf"
    date = timezone.localtime(diagnostic.submitted_at).date().isoformat()
    slug = diagnostic.company.name.lower().replace(" ", "-")
    assert headers["Content-Disposition"] in (
        f'attachment; filename="rapport-de-diagnostic-{slug}-{date}.pdf"',
        f"attachment; filename*=UTF-8''rapport-de-diagnostic-{slug}-{date}.pdf",
    )
    assert data.startswith(b"%PDF-") and diagnostic.company.name in pdf_text(data)


@pytest.mark.parametrize("role", STRANGERS)
def test_others_get_a_404_for_every_report_page(client, request, ready, diagnostic, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("report_download", diagnostic)).status_code == 404
    assert client.get(url("report_status", diagnostic)).status_code == 404
    assert client.post(url("report_rerender", diagnostic)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, ready, diagnostic):
    response = client.get(url("report_download", diagnostic))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_no_download_before_the_report_is_ready(client, owner, diagnostic):
    reports.request_report(diagnostic)
    client.force_login(owner)
    assert client.get(url("report_download", diagnostic)).status_code == 404


def test_a_draft_has_no_report_pages(client, owner, company):
    draft = DiagnosticFactory(company=company, started_by=owner)
    client.force_login(owner)
    assert client.get(url("report_status", draft)).status_code == 404
    assert client.get(url("report_download", draft)).status_code == 404
    assert client.post(url("report_rerender", draft)).status_code == 404


def test_the_file_has_no_public_media_url(client, owner, ready, settings):
    """MEDIA_URL is served by no view, even with DEBUG: the report is only reached through the checked view."""
    from django.urls import Resolver404, resolve

    client.force_login(owner)
    assert not ready.file.name.startswith(("/", "http"))
    with pytest.raises(Resolver404):
        resolve(f"/{settings.MEDIA_URL}{ready.file.name}")
    assert reverse("diagnostics:report_download", args=[ready.diagnostic_id]).endswith("/rapport/telecharger/")


# --- Status fragment ---------------------------------------------------------------------------


def test_status_polls_every_2s_while_pending(client, owner, diagnostic):
    reports.request_report(diagnostic)
    client.force_login(owner)
    response = client.get(url("report_status", diagnostic), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in html and f'hx-get="{url("report_status", diagnostic)}"' in html
    assert url("report_download", diagnostic) not in html
    assert response["Cache-Control"] == "no-store"


def test_status_stops_polling_when_ready(client, owner, ready, diagnostic):
    client.force_login(owner)
    html = client.get(url("report_status", diagnostic), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and "hx-get" not in html
    assert url("report_download", diagnostic) in html
    assert "10 pages" in html  # with the roadmap


def test_status_stops_polling_when_failed(client, owner, diagnostic):
    report = reports.request_report(diagnostic)
    Report.objects.filter(pk=report.pk).update(status="failed", attempts=3, error="boom")
    client.force_login(owner)
    html = client.get(url("report_status", diagnostic)).content.decode()
    assert "hx-trigger" not in html and "boom" not in html
    assert url("report_rerender", diagnostic) in html


def test_the_rerender_button_is_for_owners_and_staff(client, member, staff, ready, diagnostic):
    client.force_login(member)
    assert url("report_rerender", diagnostic) not in client.get(url("report_status", diagnostic)).content.decode()
    client.force_login(staff)
    assert url("report_rerender", diagnostic) in client.get(url("report_status", diagnostic)).content.decode()


def test_status_fragment_queries(client, owner, ready, diagnostic, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        assert client.get(url("report_status", diagnostic), HTTP_HX_REQUEST="true").status_code == 200


def test_status_opened_directly_is_a_page_with_a_title_and_a_heading(client, owner, ready, diagnostic):
    client.force_login(owner)
    html = client.get(url("report_status", diagnostic)).content.decode()
    assert "<title>" in html and "<h1" in html and 'id="report-status"' in html
    assert url("report_download", diagnostic) in html


def test_status_polled_by_htmx_is_the_block_alone(client, owner, ready, diagnostic):
    client.force_login(owner)
    html = client.get(url("report_status", diagnostic), HTTP_HX_REQUEST="true").content.decode()
    assert "<title>" not in html and html.lstrip().startswith("<section")


# --- New render ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "staff"])
def test_owner_and_staff_ask_for_a_new_render(client, request, diagnostic, role, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(role)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_rerender", diagnostic), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    report = Report.objects.get(diagnostic=diagnostic)
    assert report.status == Report.Status.READY and report.requested_by == user


def test_a_new_render_of_unchanged_inputs_reuses_the_report(client, owner, ready, diagnostic):
    client.force_login(owner)
    response = client.post(url("report_rerender", diagnostic))
    assert response.status_code == 302 and response["Location"] == url("results", diagnostic)
    assert Report.objects.get() == ready
    ready.refresh_from_db()
    assert ready.status == Report.Status.READY


def test_a_failed_report_gets_new_attempts(client, owner, diagnostic, django_capture_on_commit_callbacks):
    report = reports.request_report(diagnostic)
    Report.objects.filter(pk=report.pk).update(status="failed", attempts=3, error="boom")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("report_rerender", diagnostic))
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (Report.Status.READY, 1, "")


def test_members_who_are_not_owners_may_not_ask_for_a_new_render(client, member, diagnostic):
    client.force_login(member)
    assert client.post(url("report_rerender", diagnostic)).status_code == 403
    assert not Report.objects.exists()


def test_new_render_is_post_only(client, owner, diagnostic):
    client.force_login(owner)
    assert client.get(url("report_rerender", diagnostic)).status_code == 405


def test_the_status_of_another_members_company_is_404(client, diagnostic):
    outsider = MembershipFactory(role="owner").user
    client.force_login(outsider)
    assert client.get(url("report_status", diagnostic)).status_code == 404


# --- URL fetcher -----------------------------------------------------------------------------------


def test_the_fetcher_serves_our_static_files_only(tmp_path):
    assert static_path(BASE_URL + "css/report.css") == STATIC_ROOT / "css" / "report.css"
    assert static_path(BASE_URL + "fonts/DejaVuSans.ttf").name == "DejaVuSans.ttf"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (STATIC_ROOT / "css").resolve()
    for refused in [
        "file:///etc/passwd",
        BASE_URL + "../manage.py",
        BASE_URL + "css/../../portal/settings.py",
        BASE_URL + "%2e%2e/manage.py",
        outside.as_uri(),
        "http://example.com/x.css",
        "https://127.0.0.1:8000/static/css/report.css",
        "data:text/css,body{}",
        "ftp://example.com/font.ttf",
        "file://evil.example/static/css/report.css",
        BASE_URL + "css",  # a folder
        BASE_URL + "css/missing.css",
    ]:
        with pytest.raises(RefusedURL):
            static_path(refused)
