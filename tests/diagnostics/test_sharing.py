"""Sharing scopes of a diagnostic: who sees it before and after a member shares it with the
company's region, who may switch the sharing, and the other ways of sharing (an application to a
programme, an assignment). Benchmarks show no other company's identifiable data."""

import pytest
from django.urls import reverse

from diagnostics import rules, selectors
from diagnostics.models import Diagnostic
from diagnostics.services import SharingRefused, set_region_sharing
from diagnostics.services import report as reports
from experts.models import Assignment
from portal.models import Region
from tests.diagnostics.factories import DiagnosticFactory
from tests.diagnostics.report_support import submit
from tests.experts.factories import AssignmentFactory
from tests.portal.factories import OwnerFactory, RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory
from tests.storage_support import served_status

pytestmark = pytest.mark.django_db

READ_PAGES = ["results", "review"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def diagnostic(company, owner):
    return submit(company, owner)


@pytest.fixture
def officer_elsewhere(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def assigned_expert(company):
    return AssignmentFactory(company=company, status=Assignment.Status.ACCEPTED).expert.user


def url(name, diagnostic):
    return reverse(f"diagnostics:{name}", args=[diagnostic.pk])


def share(client, user, diagnostic, shared="1"):
    client.force_login(user)
    return client.post(url("share_with_region", diagnostic), {"shared": shared})


def status_of(client, user, name, diagnostic):
    client.force_login(user)
    return served_status(client.get(url(name, diagnostic)))


# --- Who sees a diagnostic -------------------------------------------------------------------------


def test_a_new_diagnostic_is_not_shared(diagnostic):
    assert diagnostic.shared_with_region is False
    assert Diagnostic._meta.get_field("shared_with_region").default is False


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_regions_officer_gets_a_404_before_sharing(client, officer, diagnostic, page):
    assert status_of(client, officer, page, diagnostic) == 404


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_regions_officer_sees_a_shared_diagnostic(client, owner, officer, diagnostic, page):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert status_of(client, officer, page, diagnostic) == 200


def test_the_regions_officer_downloads_the_report_of_a_shared_diagnostic_only(client, owner, officer, diagnostic):
    reports.render_report(reports.request_report(diagnostic).pk, notify=False)
    assert status_of(client, officer, "report_download", diagnostic) == 404
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert status_of(client, officer, "report_download", diagnostic) == 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_an_officer_of_another_region_never_sees_it(client, owner, officer_elsewhere, diagnostic, page):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert status_of(client, officer_elsewhere, page, diagnostic) == 404


@pytest.mark.parametrize("page", READ_PAGES)
def test_another_companys_member_never_sees_it(client, owner, other_company_member, diagnostic, page):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert status_of(client, other_company_member, page, diagnostic) == 404


@pytest.mark.parametrize("page", READ_PAGES)
def test_an_expert_without_assignment_never_sees_it(client, owner, expert, diagnostic, page):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert status_of(client, expert, page, diagnostic) == 404


@pytest.mark.parametrize("page", READ_PAGES)
def test_the_assigned_expert_sees_it_without_sharing(client, assigned_expert, diagnostic, page):
    assert status_of(client, assigned_expert, page, diagnostic) == 200


def test_a_proposed_assignment_does_not_share_it_yet(client, company, diagnostic):
    expert = AssignmentFactory(company=company, status=Assignment.Status.PROPOSED).expert.user
    assert status_of(client, expert, "results", diagnostic) == 404


@pytest.mark.parametrize("role", ["owner", "member", "staff"])
def test_members_and_staff_see_it_without_sharing(client, request, role, diagnostic):
    assert status_of(client, request.getfixturevalue(role), "results", diagnostic) == 200


def test_stopping_sharing_takes_the_officers_access_away(client, owner, officer, diagnostic):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    set_region_sharing(diagnostic=diagnostic, shared=False, by=owner)
    assert status_of(client, officer, "results", diagnostic) == 404


def test_sharing_one_diagnostic_does_not_share_the_others(client, owner, officer, company, diagnostic):
    later = submit(company, owner, referential=diagnostic.referential)
    set_region_sharing(diagnostic=later, shared=True, by=owner)
    assert set(selectors.diagnostics_visible_to(officer)) == {later}


def test_the_rules_follow_the_sharing(owner, officer, officer_elsewhere, diagnostic):
    assert not rules.can_view_diagnostic.test(officer, diagnostic)
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    assert rules.can_view_diagnostic.test(officer, Diagnostic.objects.get(pk=diagnostic.pk))
    assert not rules.can_view_diagnostic.test(officer_elsewhere, diagnostic)
    assert not rules.can_edit_diagnostic.test(officer, diagnostic)


# --- An application shares it with the programme's officers -----------------------------------------


def test_applying_to_a_programme_shares_it_with_that_programmes_officers(client, company, diagnostic):
    enrolment = EnrolmentFactory(programme=ProgrammeFactory(), company=company)
    programme_officer = enrolment.programme.region.officers.get().user
    assert status_of(client, programme_officer, "results", diagnostic) == 200
    assert Diagnostic.objects.get(pk=diagnostic.pk).shared_with_region is False


def test_an_application_does_not_share_it_with_officers_of_other_regions(
    client, company, diagnostic, officer_elsewhere
):
    EnrolmentFactory(programme=ProgrammeFactory(), company=company)
    assert status_of(client, officer_elsewhere, "results", diagnostic) == 404


def test_a_withdrawn_application_no_longer_shares_it(client, company, diagnostic):
    enrolment = EnrolmentFactory(programme=ProgrammeFactory(), company=company, status="withdrawn")
    programme_officer = enrolment.programme.region.officers.get().user
    assert status_of(client, programme_officer, "results", diagnostic) == 404


# --- Switching the sharing ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "member"])
def test_a_member_shares_from_the_results_page(client, request, role, diagnostic):
    user = request.getfixturevalue(role)
    response = share(client, user, diagnostic)
    assert response.status_code == 302 and response["Location"] == url("results", diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is True
    assert diagnostic.sharing_changed_by == user and diagnostic.sharing_changed_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "peuvent désormais voir ce diagnostic" in page
    assert "Arrêter le partage avec la région" in page


def test_a_member_stops_sharing(client, owner, member, diagnostic):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    share(client, member, diagnostic, shared="0")
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False and diagnostic.sharing_changed_by == member


def test_the_results_page_offers_the_switch_to_members_only(client, owner, staff, diagnostic):
    client.force_login(owner)
    assert url("share_with_region", diagnostic) in client.get(url("results", diagnostic)).content.decode()
    client.force_login(staff)
    assert url("share_with_region", diagnostic) not in client.get(url("results", diagnostic)).content.decode()


@pytest.mark.parametrize("role", ["staff", "assigned_expert", "officer"])
def test_someone_who_sees_it_but_is_no_member_may_not_switch_it(client, request, owner, role, diagnostic):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)  # the officer sees it now
    assert share(client, request.getfixturevalue(role), diagnostic, shared="0").status_code == 403
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is True and diagnostic.sharing_changed_by == owner


@pytest.mark.parametrize("role", ["other_company_member", "officer", "officer_elsewhere", "expert", "plain_user"])
def test_someone_who_does_not_see_it_gets_a_404_and_nothing_changes(client, request, role, diagnostic):
    assert share(client, request.getfixturevalue(role), diagnostic).status_code == 404
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False and diagnostic.sharing_changed_by is None


def test_anonymous_users_are_sent_to_log_in_and_nothing_changes(client, diagnostic):
    response = client.post(url("share_with_region", diagnostic), {"shared": "1"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False


def test_a_get_changes_nothing(client, owner, diagnostic):
    client.force_login(owner)
    assert client.get(url("share_with_region", diagnostic), {"shared": "1"}).status_code == 405
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False


def test_a_post_without_csrf_token_is_refused(owner, diagnostic):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(url("share_with_region", diagnostic), {"shared": "1"}).status_code == 403
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False


def test_a_draft_cannot_be_shared(client, owner, company):
    draft = DiagnosticFactory(company=company, started_by=owner)
    response = share(client, owner, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.shared_with_region is False
    with pytest.raises(SharingRefused):
        set_region_sharing(diagnostic=draft, shared=True, by=owner)


def test_the_service_refuses_a_non_member(staff, diagnostic):
    with pytest.raises(SharingRefused):
        set_region_sharing(diagnostic=diagnostic, shared=True, by=staff)
    diagnostic.refresh_from_db()
    assert diagnostic.shared_with_region is False


def test_sharing_again_keeps_who_shared_first(owner, member, diagnostic):
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    set_region_sharing(diagnostic=diagnostic, shared=True, by=member)
    diagnostic.refresh_from_db()
    assert diagnostic.sharing_changed_by == owner


# --- Benchmarks: anonymous aggregates only ---------------------------------------------------------


def test_the_results_page_names_no_other_company(client, owner, officer, company, diagnostic):
    peers = [OwnerFactory(company__name=f"Concurrent secret {n}").company for n in range(6)]
    for peer in peers:
        submit(peer, peer.memberships.get().user, referential=diagnostic.referential)
    set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)
    for viewer in (owner, officer):
        client.force_login(viewer)
        page = client.get(url("results", diagnostic)).content.decode()
        assert "Concurrent secret" not in page
        assert not any(peer.siret in page for peer in peers)
    # and a peer's own diagnostic stays out of reach
    client.force_login(owner)
    other = Diagnostic.objects.get(company=peers[0])
    assert client.get(url("results", other)).status_code == 404
