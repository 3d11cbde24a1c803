"""Each role lands in its own space; the others' spaces are refused."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SPACES = {
    "company": "portal:my_company",
    "expert": "experts:my_assignments",
    "region": "regions:my_region",
    "national": "regions:national",
    "referentials": "diagnostics:referential_versions",
    "accreditations": "experts:accreditations",
}
# Which space each role may enter (True) or is refused (403).
ACCESS = {
    "owner": {"company"},
    "member": {"company"},
    "officer": {"region"},
    "expert": {"expert"},
    "staff": {"national", "referentials", "accreditations"},
    "plain_user": set(),
}


@pytest.fixture
def role_user(request):
    return request.getfixturevalue(request.param)


def landing_of(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    return response.url


def test_anonymous_visitor_sees_the_public_home_in_french(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_owner_lands_on_the_company_page(client, owner, company):
    assert landing_of(client, owner) == reverse("portal:my_company")
    assert client.get(reverse("portal:my_company")).url == reverse("portal:company_detail", args=[company.pk])


def test_officer_lands_on_the_region_space(client, officer):
    assert landing_of(client, officer) == reverse("regions:my_region")


def test_expert_lands_on_the_assignments_space(client, expert):
    assert landing_of(client, expert) == reverse("experts:my_assignments")


def test_staff_lands_on_the_national_view(client, staff):
    assert landing_of(client, staff) == reverse("regions:national")


def test_user_without_role_is_told_so(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "portal/no_space.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("role_user", list(ACCESS), indirect=True)
@pytest.mark.parametrize("space", list(SPACES))
def test_each_space_admits_its_role_and_refuses_the_others(client, role_user, request, space):
    role = request.node.callspec.params["role_user"]
    client.force_login(role_user)
    response = client.get(reverse(SPACES[space]))
    if space in ACCESS[role]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("space", list(SPACES))
def test_anonymous_visitor_is_sent_to_login_from_every_space(client, space):
    url = reverse(SPACES[space])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_company_of_another_company_is_404(client, other_company_member, company):
    client.force_login(other_company_member)
    assert client.get(reverse("portal:company_detail", args=[company.pk])).status_code == 404


@pytest.mark.parametrize("role", ["officer", "expert", "plain_user"])
def test_company_page_is_404_for_roles_without_membership(client, request, role, company):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("portal:company_detail", args=[company.pk])).status_code == 404


def test_staff_may_see_any_company_but_not_invite(client, staff, company):
    client.force_login(staff)
    assert client.get(reverse("portal:company_detail", args=[company.pk])).status_code == 200
    response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": "x@example.fr"})
    assert response.status_code == 403


def test_health_check_is_public(client):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200


def test_role_checks_are_remembered_on_the_user_with_the_spaces_in_one_query(officer, django_assert_num_queries):
    from portal.rules import has_company, is_region_officer
    from portal.spaces import spaces_for

    with django_assert_num_queries(1):
        assert is_region_officer(officer)
        assert not has_company(officer)
        assert [space.key for space in spaces_for(officer)] == ["region"]
