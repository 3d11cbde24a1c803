"""Reports frozen at submit: the peer group and the next steps are taken once, so asking for the report
again renders nothing however peers and experts move; the company's owner may update the report with
today's figures (a POST on the results page: owners only)."""

import pytest
from django.urls import reverse

from diagnostics import extensions
from diagnostics.extensions import NextStepItem, NextStepsSection
from diagnostics.models import Diagnostic, Report
from diagnostics.peer_publication import refresh_peer_publication
from diagnostics.reports.content import content_hash, report_content, report_inputs
from diagnostics.services import report as reports
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory
from tests.diagnostics.report_support import pdf_text, submit
from tests.diagnostics.test_results import add_peers, profile_of
from tests.portal.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def experts(monkeypatch):
    """A next-steps provider whose answer the test changes, as an expert's workload would."""
    available = ["Camille Expert"]

    def provider(diagnostic):
        return NextStepsSection(title="Experts", items=[NextStepItem(title=name) for name in available])

    monkeypatch.setattr(extensions, "_next_steps", [provider])
    return available


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=3, questions=3)


@pytest.fixture
def diagnostic(company, owner, referential, experts):
    add_peers(referential, [profile_of(company)] * 6)
    submitted = submit(company, owner, referential=referential)
    refresh_peer_publication(referential.code)  # what the task enqueued after the submit's commit does
    return submitted


@pytest.fixture
def ready(diagnostic):
    return reports.render_report(reports.request_report(diagnostic).pk, notify=False)


def peers_move(company, referential):
    """Four more companies like this one submit, and the published figures are refreshed."""
    add_peers(referential, [profile_of(company)] * 4, level=5)
    refresh_peer_publication(referential.code)


def count_renders(monkeypatch):
    renders = []
    render_into = reports._render_into

    def counted(report):
        renders.append(report.pk)
        return render_into(report)

    monkeypatch.setattr(reports, "_render_into", counted)
    return renders


def test_the_figures_are_frozen_when_the_report_is_first_asked_for(diagnostic, ready):
    diagnostic.refresh_from_db()
    assert diagnostic.report_snapshot["peers"]["companies"] == 7  # the six peers and the company itself
    assert diagnostic.report_snapshot["next_steps"] == [["Experts", [["Camille Expert", ""]]]]


def test_a_report_asked_for_again_after_peers_moved_renders_nothing(diagnostic, ready, company, monkeypatch):
    peers_move(company, diagnostic.referential)
    renders = count_renders(monkeypatch)
    again = reports.render_report(reports.request_report(diagnostic).pk, notify=False)
    assert again.pk == ready.pk and again.status == Report.Status.READY
    assert renders == [] and Report.objects.count() == 1


def test_a_report_asked_for_again_after_the_experts_moved_renders_nothing(diagnostic, ready, experts, monkeypatch):
    experts[:] = ["Dominique Expert"]
    renders = count_renders(monkeypatch)
    assert reports.request_report(diagnostic).pk == ready.pk
    assert renders == []


def test_the_report_hash_follows_the_snapshot_not_the_live_figures(diagnostic, ready, company):
    before = content_hash(report_inputs(diagnostic))
    peers_move(company, diagnostic.referential)
    assert content_hash(report_inputs(diagnostic)) == before
    diagnostic.refresh_from_db()
    snapshot = {**diagnostic.report_snapshot, "next_steps": []}
    Diagnostic.objects.filter(pk=diagnostic.pk).update(report_snapshot=snapshot)
    assert content_hash(report_inputs(diagnostic)) != before


def test_the_report_prints_the_frozen_peer_figures(diagnostic, ready, company):
    peers_move(company, diagnostic.referential)
    content = report_content(diagnostic)
    assert content.peer_companies == 7
    assert "7 entreprises" in pdf_text(ready.file.read())


def test_a_diagnostic_without_a_snapshot_gets_one_at_its_next_report(diagnostic):
    assert Diagnostic.objects.get(pk=diagnostic.pk).report_snapshot is None
    reports.request_report(diagnostic)
    assert Diagnostic.objects.get(pk=diagnostic.pk).report_snapshot["language"] == "fr"


def test_a_company_that_changed_language_gets_its_figures_again_in_it(diagnostic, ready, company, experts):
    experts[:] = ["Dominique Expert"]
    company.language = "en"
    company.save(update_fields=["language"])
    report = reports.request_report(Diagnostic.objects.get(pk=diagnostic.pk))
    assert report.pk != ready.pk and report.language == "en"
    assert Diagnostic.objects.get(pk=diagnostic.pk).report_snapshot["next_steps"][0][1] == [["Dominique Expert", ""]]


# --- Update with today's figures -----------------------------------------------------------------


def update_url(diagnostic):
    return reverse("diagnostics:update_report_figures", args=[diagnostic.pk])


def test_the_owner_updates_the_report_with_todays_figures(
    client, owner, diagnostic, ready, company, experts, django_capture_on_commit_callbacks
):
    peers_move(company, diagnostic.referential)
    experts[:] = ["Dominique Expert"]
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(update_url(diagnostic))
    assert response.status_code == 302 and response["Location"] == reverse("diagnostics:results", args=[diagnostic.pk])
    diagnostic.refresh_from_db()
    assert diagnostic.report_snapshot["peers"]["companies"] == 11
    updated = Report.objects.exclude(pk=ready.pk).get()
    assert updated.status == Report.Status.READY and updated.requested_by == owner
    text = pdf_text(updated.file.read())
    assert "11 entreprises" in text and "Dominique Expert" in text


def test_an_update_when_nothing_moved_the_same_day_renders_nothing(client, owner, diagnostic, ready, monkeypatch):
    renders = count_renders(monkeypatch)
    client.force_login(owner)
    response = client.post(update_url(diagnostic), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert renders == [] and list(Report.objects.all()) == [ready]


@pytest.mark.parametrize("role", ["member", "staff"])
def test_viewers_who_are_not_owners_may_not_update_the_figures(client, request, role, diagnostic, ready):
    before = Diagnostic.objects.get(pk=diagnostic.pk).report_snapshot
    client.force_login(request.getfixturevalue(role))
    assert client.post(update_url(diagnostic)).status_code == 403
    assert Diagnostic.objects.get(pk=diagnostic.pk).report_snapshot == before
    assert Report.objects.count() == 1


def test_another_companys_owner_gets_a_404(client, diagnostic, ready):
    client.force_login(MembershipFactory(role="owner").user)
    assert client.post(update_url(diagnostic)).status_code == 404


def test_a_draft_has_no_figures_to_update(client, owner, company, referential):
    draft = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    client.force_login(owner)
    assert client.post(update_url(draft)).status_code == 404


def test_updating_the_figures_is_post_only(client, owner, diagnostic):
    client.force_login(owner)
    assert client.get(update_url(diagnostic)).status_code == 405


def test_the_update_button_is_shown_to_the_owner_only(client, owner, member, staff, diagnostic, ready):
    status_url = reverse("diagnostics:report_status", args=[diagnostic.pk])
    for user, shown in ((owner, True), (member, False), (staff, False)):
        client.force_login(user)
        assert (update_url(diagnostic) in client.get(status_url).content.decode()) is shown
