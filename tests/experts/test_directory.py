"""The public directory: referenced experts only, filters, pagination, no private data for anonymous visitors."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Axis, TechnologyTheme
from experts.models import Accreditation, AccreditationTransition, Expert, ExpertLanguage, ExpertSkill
from experts.selectors import axis_choices
from portal.models import Region, User
from tests.experts.factories import AssignmentFactory, ExpertFactory, ReferencedExpertFactory, accredit

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("experts:directory")

RATE_AS_SHOWN = "1\u00a0234,50"


def listed(response):
    return {expert.pk for expert in response.context["page"].object_list}


def test_anonymous_visitors_see_the_directory(client):
    expert = ReferencedExpertFactory()
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert expert.name in response.content.decode()


def test_only_referenced_experts_within_validity_are_listed(client):
    referenced = ReferencedExpertFactory()
    never = ExpertFactory()
    suspended = accredit(ExpertFactory(), status=Accreditation.Status.SUSPENDED)
    expired = accredit(ExpertFactory(), status=Accreditation.Status.EXPIRED)
    past_date = accredit(ExpertFactory(), valid_until=timezone.localdate() - timedelta(days=1))
    assert listed(client.get(DIRECTORY)) == {referenced.pk}
    assert not {never.pk, suspended.pk, expired.pk, past_date.pk} & listed(client.get(DIRECTORY))


def test_anonymous_visitors_never_see_rate_or_email(client):
    expert = ReferencedExpertFactory(day_rate=Decimal("1234.50"))
    for url in (DIRECTORY, reverse("experts:profile", args=[expert.pk])):
        page = client.get(url).content.decode()
        assert expert.user.email not in page
        assert RATE_AS_SHOWN not in page and "1234" not in page


@pytest.mark.parametrize("role", ["officer", "staff", "owner"])
def test_officers_staff_and_companies_see_rate_and_email_on_the_profile(client, request, role):
    expert = ReferencedExpertFactory(day_rate=Decimal("1234.50"))
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("experts:profile", args=[expert.pk])).content.decode()
    assert expert.user.email in page
    assert RATE_AS_SHOWN in page  # the rate, written the French way


def test_a_user_without_a_role_does_not_see_rate_or_email(client, plain_user):
    expert = ReferencedExpertFactory(day_rate=Decimal("1234.50"))
    client.force_login(plain_user)
    page = client.get(reverse("experts:profile", args=[expert.pk])).content.decode()
    assert expert.user.email not in page
    assert RATE_AS_SHOWN not in page and "1234" not in page


def test_filter_by_region_served(client):
    bretagne = ReferencedExpertFactory(regions=["53"])
    ReferencedExpertFactory(regions=["84"])
    region = Region.objects.get(code="53")
    assert listed(client.get(DIRECTORY, {"region": region.pk})) == {bretagne.pk}


def test_filter_by_skill_axis(client, referential):
    ops = ReferencedExpertFactory(axes={"AX1": 3})
    ReferencedExpertFactory(axes={"AX2": 2})
    assert listed(client.get(DIRECTORY, {"axis": "AX1"})) == {ops.pk}


def test_axis_choices_are_the_published_axes_in_order_then_codes_declared_off_the_referential(referential):
    ReferencedExpertFactory(axes={"AX2": 2, "OLD": 3})
    ReferencedExpertFactory(axes={"OLD": 1})
    titles = {axis.code: axis.title_fr for axis in Axis.objects.filter(referential=referential)}
    assert axis_choices() == [("AX1", titles["AX1"]), ("AX2", titles["AX2"]), ("AX3", titles["AX3"]), ("OLD", "OLD")]


def test_filter_by_theme(client):
    theme = TechnologyTheme.objects.get(code="additive-manufacturing")
    printer = ReferencedExpertFactory(themes={"additive-manufacturing": 3})
    ReferencedExpertFactory(themes={"energy-efficiency": 3})
    assert listed(client.get(DIRECTORY, {"theme": theme.pk})) == {printer.pk}


def test_filter_by_language(client):
    german = ReferencedExpertFactory(languages=["fr", "de"])
    ReferencedExpertFactory(languages=["fr"])
    assert listed(client.get(DIRECTORY, {"language": "de"})) == {german.pk}


def test_filter_by_available_capacity(client):
    free = ReferencedExpertFactory(capacity=2)
    full = ReferencedExpertFactory(capacity=1)
    AssignmentFactory(expert=full, status="accepted")
    AssignmentFactory(expert=free, status="accepted")
    assert listed(client.get(DIRECTORY, {"available": "on"})) == {free.pk}
    assert listed(client.get(DIRECTORY)) == {free.pk, full.pk}


def test_search_by_name_or_organisation(client):
    found = ReferencedExpertFactory(organisation="Robotique Armorique")
    ReferencedExpertFactory(organisation="Lean Sud")
    assert listed(client.get(DIRECTORY, {"q": "armorique"})) == {found.pk}


def test_an_expert_with_several_matching_skills_is_listed_once(client):
    expert = ReferencedExpertFactory(themes={"digital-iot": 3, "energy-efficiency": 2}, regions=["53", "52"])
    response = client.get(DIRECTORY, {"region": Region.objects.get(code="53").pk})
    assert [e.pk for e in response.context["page"].object_list] == [expert.pk]


def test_the_directory_is_paginated(client):
    ReferencedExpertFactory.create_batch(25)
    first = client.get(DIRECTORY)
    second = client.get(DIRECTORY, {"page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5
    assert "page=2" in first.content.decode()


def test_a_profile_page_shows_skills_regions_and_languages(client, referential):
    expert = ReferencedExpertFactory(
        axes={"AX1": 3}, themes={"digital-iot": 2}, regions=["53"], languages=["de"], bio="Vingt ans de lean."
    )
    page = client.get(reverse("experts:profile", args=[expert.pk])).content.decode()
    for text in ("Axe AX1", "Numérisation", "Bretagne", "Allemand", "Vingt ans de lean."):
        assert text in page


def test_a_profile_not_referenced_is_a_404_for_visitors(client):
    expert = accredit(ExpertFactory(), status=Accreditation.Status.SUSPENDED)
    assert client.get(reverse("experts:profile", args=[expert.pk])).status_code == 404


def test_staff_and_the_expert_themselves_see_a_profile_not_referenced(client, staff, expert):
    profile = expert.expert_profile
    for user in (staff, expert):
        client.force_login(user)
        assert client.get(reverse("experts:profile", args=[profile.pk])).status_code == 200


def create_experts(count):
    """`count` referenced experts with skills, regions and languages, in a few bulk inserts."""
    users = User.objects.bulk_create(
        User(email=f"bulk{i}@example.fr", first_name=f"Prénom{i}", last_name=f"Nom{i:04d}", password="!")
        for i in range(count)
    )
    experts = Expert.objects.bulk_create(
        Expert(user=user, organisation=f"Cabinet {user.pk}", capacity=2) for user in users
    )
    valid_until = timezone.localdate() + timedelta(days=365)
    Accreditation.objects.bulk_create(
        Accreditation(expert=expert, status="referenced", valid_until=valid_until) for expert in experts
    )
    AccreditationTransition.objects.bulk_create(
        AccreditationTransition(expert=expert, to_status="referenced", valid_until=valid_until) for expert in experts
    )
    themes = list(TechnologyTheme.objects.all())
    regions = list(Region.objects.all())
    ExpertSkill.objects.bulk_create(
        skill
        for i, expert in enumerate(experts)
        for skill in (
            ExpertSkill(expert=expert, axis_code=f"AX{i % 3 + 1}", level=i % 3 + 1),
            ExpertSkill(expert=expert, theme=themes[i % len(themes)], level=2),
        )
    )
    Expert.regions.through.objects.bulk_create(
        Expert.regions.through(expert=expert, region=regions[(i + k) % len(regions)])
        for i, expert in enumerate(experts)
        for k in range(2)
    )
    ExpertLanguage.objects.bulk_create(ExpertLanguage(expert=expert, code="fr") for expert in experts)
    return experts


@pytest.mark.parametrize(
    "params",
    [{}, {"page": 7}, {"region": "REGION", "axis": "AX1", "theme": "THEME", "language": "fr", "available": "on"}],
    ids=["first page", "page 7", "all filters"],
)
def test_the_directory_runs_a_bounded_number_of_queries_with_1000_experts(
    client, referential, officer, django_assert_max_num_queries, params
):
    create_experts(1000)
    # Expert 0 has AX1, the first theme and the first region (in their default orders).
    values = {"REGION": Region.objects.first().pk, "THEME": TechnologyTheme.objects.first().pk}
    params = {key: values.get(value, value) for key, value in params.items()}
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert response.context["page"].object_list


@pytest.mark.parametrize("role", ["owner", "staff", "expert"])
def test_the_directory_runs_at_most_12_queries_for_every_role(
    client, referential, role, request, django_assert_max_num_queries
):
    create_experts(100)
    client.force_login(request.getfixturevalue(role))
    with django_assert_max_num_queries(12):
        assert client.get(DIRECTORY).status_code == 200


def test_anonymous_directory_queries_do_not_grow_with_the_number_of_experts(client, django_assert_max_num_queries):
    create_experts(1000)
    with django_assert_max_num_queries(10):
        assert client.get(DIRECTORY).status_code == 200
