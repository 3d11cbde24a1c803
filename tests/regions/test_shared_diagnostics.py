"""The officers' list of diagnostics shared with their region: only what companies chose to share,
only in the officer's regions, with a mark on those that have not applied yet."""

import pytest
from django.urls import reverse

from portal.models import Region
from tests.portal.factories import CompanyFactory, OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory, an_officer

pytestmark = pytest.mark.django_db

URL = reverse("regions:shared_diagnostics")


def shared_in(region, **fields):
    return SubmittedDiagnosticFactory(
        company=OwnerFactory(company__region=region).company, shared_with_region=True, **fields
    )


@pytest.fixture
def bretagne(db):
    return Region.objects.get(code="53")


@pytest.fixture
def officer_of_bretagne(bretagne):
    return an_officer(bretagne)


def listed(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return [diagnostic.pk for diagnostic in response.context["page"].object_list]


def test_the_officer_sees_the_diagnostics_shared_with_their_region(client, bretagne, officer_of_bretagne):
    shared = shared_in(bretagne)
    assert listed(client, officer_of_bretagne) == [shared.pk]


def test_a_diagnostic_not_shared_is_not_listed(client, bretagne, officer_of_bretagne):
    SubmittedDiagnosticFactory(company=CompanyFactory(region=bretagne))
    assert listed(client, officer_of_bretagne) == []


def test_a_diagnostic_shared_in_another_region_is_not_listed(client, officer_of_bretagne):
    shared_in(Region.objects.get(code="11"))
    assert listed(client, officer_of_bretagne) == []


def test_an_officer_of_another_region_does_not_see_it(client, bretagne):
    shared_in(bretagne)
    assert listed(client, an_officer(Region.objects.get(code="11"))) == []


def test_companies_that_have_not_applied_yet_are_marked(client, bretagne, officer_of_bretagne):
    waiting = shared_in(bretagne)
    applied = shared_in(bretagne)
    EnrolmentFactory(programme=ProgrammeFactory(region=bretagne), company=applied.company)
    client.force_login(officer_of_bretagne)
    response = client.get(URL)
    marks = {diagnostic.pk: diagnostic.has_applied for diagnostic in response.context["page"].object_list}
    assert marks == {waiting.pk: False, applied.pk: True}
    html = response.content.decode()
    assert html.count("Pas encore candidat") == 1
    assert reverse("diagnostics:results", args=[waiting.pk]) in html


def test_the_officers_region_page_links_to_the_list(client, officer_of_bretagne):
    client.force_login(officer_of_bretagne)
    assert URL in client.get(reverse("regions:my_region")).content.decode()


@pytest.mark.parametrize("role", ["owner", "member", "expert", "staff", "plain_user"])
def test_other_roles_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_post_is_refused(client, officer_of_bretagne):
    client.force_login(officer_of_bretagne)
    assert client.post(URL).status_code == 405


def test_the_page_costs_the_same_queries_for_3_and_30_rows(
    client, bretagne, officer_of_bretagne, django_assert_max_num_queries
):
    client.force_login(officer_of_bretagne)
    for count in (3, 30):
        while len(listed(client, officer_of_bretagne)) < min(count, 25):
            shared_in(bretagne)
        with django_assert_max_num_queries(9):
            assert client.get(URL).status_code == 200


def test_a_long_list_is_paginated_by_25(client, bretagne, officer_of_bretagne):
    for _ in range(26):
        shared_in(bretagne)
    client.force_login(officer_of_bretagne)
    first = client.get(URL).content.decode()
    assert "?page=2" in first and "Page 1 sur 2" in first
    assert len(client.get(URL, {"page": 2}).context["page"].object_list) == 1
