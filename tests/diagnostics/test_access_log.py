"""The access log of a company's diagnostics: every view by someone outside the company (officer,
expert, staff) of the results, the answers or the PDF report is one row; the members' own views are
not recorded; the company's members, and only they, see "who viewed my diagnostic"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics.models import DiagnosticAccess
from diagnostics.services import record_access, set_region_sharing
from diagnostics.services import report as reports
from experts.models import Assignment
from portal.models import Region
from tests.diagnostics.report_support import submit
from tests.experts.factories import AssignmentFactory
from tests.portal.factories import RegionOfficerFactory, StaffFactory
from tests.storage_support import served_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def diagnostic(company, owner):
    return submit(company, owner)


@pytest.fixture
def shared(diagnostic, owner):
    return set_region_sharing(diagnostic=diagnostic, shared=True, by=owner)


@pytest.fixture
def officer_elsewhere(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def assigned_expert(company):
    return AssignmentFactory(company=company, status=Assignment.Status.ACCEPTED).expert.user


def url(name, obj):
    return reverse(f"diagnostics:{name}", args=[obj.pk])


def company_log_url(company):
    return reverse("diagnostics:company_access_log", args=[company.pk])


def log_rows():
    return list(DiagnosticAccess.objects.order_by("pk").values_list("user_id", "kind", "what"))


def view(client, user, name, diagnostic):
    client.force_login(user)
    return client.get(url(name, diagnostic))


# --- What is recorded --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "member"])
@pytest.mark.parametrize("page", ["results", "review"])
def test_a_members_own_views_are_not_recorded(client, request, role, page, diagnostic):
    assert view(client, request.getfixturevalue(role), page, diagnostic).status_code == 200
    assert log_rows() == []


def test_a_members_report_download_is_not_recorded(client, owner, diagnostic):
    reports.render_report(reports.request_report(diagnostic).pk, notify=False)
    assert served_status(view(client, owner, "report_download", diagnostic)) == 200
    assert log_rows() == []


def test_an_officers_view_is_recorded_once_per_view(client, officer, shared):
    assert view(client, officer, "results", shared).status_code == 200
    assert log_rows() == [(officer.pk, "officer", "results")]
    view(client, officer, "results", shared)
    assert log_rows() == [(officer.pk, "officer", "results")] * 2
    access = DiagnosticAccess.objects.first()
    assert access.region.code == "53" and access.company_id == shared.company_id


def test_an_officers_reading_of_the_answers_is_recorded(client, officer, shared):
    view(client, officer, "review", shared)
    client.get(reverse("diagnostics:axis", args=[shared.pk, shared.referential.axes.order_by("order").first().code]))
    assert log_rows() == [(officer.pk, "officer", "answers")] * 2


def test_a_report_download_is_recorded_but_not_its_status(client, officer, shared):
    reports.render_report(reports.request_report(shared).pk, notify=False)
    assert served_status(view(client, officer, "report_download", shared)) == 200
    assert view(client, officer, "report_status", shared).status_code == 200
    assert log_rows() == [(officer.pk, "officer", "report")]


def test_the_assigned_experts_view_is_recorded_as_an_expert(client, assigned_expert, diagnostic):
    view(client, assigned_expert, "results", diagnostic)
    assert log_rows() == [(assigned_expert.pk, "expert", "results")]


def test_staffs_view_is_recorded_as_the_alliance_team(client, staff, diagnostic):
    view(client, staff, "results", diagnostic)
    assert log_rows() == [(staff.pk, "staff", "results")]


def test_an_officer_of_an_application_is_named_with_the_companys_region_first(client, company, diagnostic):
    from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

    enrolment = EnrolmentFactory(programme=ProgrammeFactory(), company=company)
    officer = enrolment.programme.region.officers.get().user
    RegionOfficerFactory(user=officer, region=Region.objects.get(code="11"))  # a second post
    view(client, officer, "results", diagnostic)
    assert DiagnosticAccess.objects.get().region.code == "53"


@pytest.mark.parametrize("role", ["officer", "officer_elsewhere", "other_company_member", "expert", "plain_user"])
def test_a_refused_view_is_not_recorded(client, request, role, diagnostic):
    assert view(client, request.getfixturevalue(role), "results", diagnostic).status_code == 404
    assert log_rows() == []


def test_an_anonymous_visit_is_not_recorded(client, diagnostic):
    assert client.get(url("results", diagnostic)).status_code == 302
    assert log_rows() == []


def test_the_service_skips_members_and_anonymous_users(owner, member, diagnostic):
    from django.contrib.auth.models import AnonymousUser

    for user in (owner, member, AnonymousUser(), None):
        assert record_access(diagnostic=diagnostic, user=user, what="results") is None
    assert log_rows() == []


def test_a_staff_member_of_the_company_is_not_recorded(client, company, diagnostic):
    from tests.portal.factories import MembershipFactory

    colleague = MembershipFactory(company=company, user=StaffFactory()).user
    view(client, colleague, "results", diagnostic)
    assert log_rows() == []


# --- Who viewed my diagnostic -----------------------------------------------------------------------


def test_members_see_who_viewed_with_name_role_what_and_when(client, owner, member, officer, staff, shared):
    officer.first_name, officer.last_name = "Anne", "Le Goff"
    officer.save()
    view(client, officer, "results", shared)
    view(client, staff, "review", shared)
    for user in (owner, member):
        client.force_login(user)
        for page in (url("diagnostic_access_log", shared), company_log_url(shared.company)):
            response = client.get(page)
            assert response.status_code == 200
            html = response.content.decode()
            assert "Anne Le Goff" in html and "Chargé·e de mission régional·e, Bretagne" in html
            assert "Équipe Alliance" in html and "Résultats" in html and "Réponses" in html
    assert len(log_rows()) == 2  # reading the log is not an access to a diagnostic


def test_an_expert_is_named_with_the_organisation_of_their_profile(client, owner, assigned_expert, diagnostic):
    assigned_expert.expert_profile.organisation = "Cabinet Lumière"
    assigned_expert.expert_profile.save()
    view(client, assigned_expert, "results", diagnostic)
    client.force_login(owner)
    assert "Expert·e, Cabinet Lumière" in client.get(url("diagnostic_access_log", diagnostic)).content.decode()


def test_the_diagnostic_page_lists_that_diagnostic_only(client, owner, officer, company, shared):
    later = set_region_sharing(diagnostic=submit(company, owner, referential=shared.referential), shared=True, by=owner)
    view(client, officer, "results", shared)
    view(client, officer, "review", later)
    client.force_login(owner)
    assert [a.diagnostic_id for a in client.get(url("diagnostic_access_log", shared)).context["accesses"]] == [
        shared.pk
    ]
    assert {a.diagnostic_id for a in client.get(company_log_url(company)).context["accesses"]} == {shared.pk, later.pk}


def test_an_empty_log_says_so(client, owner, diagnostic):
    client.force_login(owner)
    assert "Personne d'extérieur à votre entreprise" in client.get(company_log_url(diagnostic.company)).content.decode()


def test_the_log_is_linked_from_the_results_page_and_the_company_diagnostics(client, owner, diagnostic):
    client.force_login(owner)
    assert url("diagnostic_access_log", diagnostic) in client.get(url("results", diagnostic)).content.decode()
    company_page = client.get(reverse("diagnostics:company_diagnostics", args=[diagnostic.company_id]))
    assert company_log_url(diagnostic.company) in company_page.content.decode()


def test_the_log_is_not_linked_for_outside_viewers(client, staff, diagnostic):
    client.force_login(staff)
    assert url("diagnostic_access_log", diagnostic) not in client.get(url("results", diagnostic)).content.decode()
    company_page = client.get(reverse("diagnostics:company_diagnostics", args=[diagnostic.company_id]))
    assert company_log_url(diagnostic.company) not in company_page.content.decode()


@pytest.mark.parametrize(
    "role", ["other_company_member", "officer", "officer_elsewhere", "assigned_expert", "expert", "staff", "plain_user"]
)
def test_nobody_outside_the_company_sees_its_log(client, request, role, shared):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("diagnostic_access_log", shared)).status_code == 404
    assert client.get(company_log_url(shared.company)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, diagnostic):
    for page in (url("diagnostic_access_log", diagnostic), company_log_url(diagnostic.company)):
        response = client.get(page)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_log_is_paginated_latest_first(client, owner, officer, diagnostic):
    make_accesses(diagnostic, officer, 30)
    client.force_login(owner)
    first = client.get(company_log_url(diagnostic.company))
    second = client.get(company_log_url(diagnostic.company), {"page": 2})
    assert len(first.context["accesses"]) == 25 and len(second.context["accesses"]) == 5
    ids = [a.pk for a in first.context["accesses"]] + [a.pk for a in second.context["accesses"]]
    assert ids == sorted(ids, reverse=True)
    assert "Page 1 sur 2" in first.content.decode()


def make_accesses(diagnostic, user, count):
    DiagnosticAccess.objects.bulk_create(
        DiagnosticAccess(
            diagnostic=diagnostic,
            company_id=diagnostic.company_id,
            user=user,
            kind="officer",
            region_id=Region.objects.get(code="53").pk,
            what="results",
        )
        for _ in range(count)
    )


@pytest.mark.parametrize("page_name", ["company", "diagnostic"])
def test_the_log_page_runs_a_bounded_number_of_queries(
    client, owner, officer, diagnostic, page_name, django_assert_max_num_queries
):
    page = company_log_url(diagnostic.company) if page_name == "company" else url("diagnostic_access_log", diagnostic)
    client.force_login(owner)
    make_accesses(diagnostic, officer, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    make_accesses(diagnostic, StaffFactory(), 60)
    with django_assert_max_num_queries(6):  # measured: 5 (session, user, company, count, page)
        response = client.get(page)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(page)
    assert len(many) == len(few)
