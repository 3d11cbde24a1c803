"""The expert keeps their own profile: skills with levels, regions, languages, day rate, capacity."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.models import TechnologyTheme
from experts import services
from experts.exceptions import InvalidInput, NotAllowed
from experts.models import ExpertSkill
from portal.models import Region
from tests.experts.factories import ExpertFactory

pytestmark = pytest.mark.django_db

EDIT = reverse("experts:edit_profile")


def update(expert, by, **kwargs):
    values = {
        "organisation": "Cabinet Breizh",
        "bio": "Lean et numérique.",
        "regions": list(Region.objects.filter(code__in=["53", "52"])),
        "languages": ["fr", "en"],
        "day_rate": Decimal("950"),
        "capacity": 3,
        "axis_skills": {"AX1": 3, "AX2": 1},
        "theme_skills": {TechnologyTheme.objects.get(code="digital-iot"): 2},
    } | kwargs
    return services.update_profile(expert=expert, by=by, **values)


def test_the_expert_updates_their_profile(expert):
    profile = update(expert.expert_profile, expert)
    assert (profile.organisation, profile.day_rate, profile.capacity) == ("Cabinet Breizh", Decimal("950"), 3)
    assert sorted(profile.regions.values_list("code", flat=True)) == ["52", "53"]
    assert sorted(profile.languages.values_list("code", flat=True)) == ["en", "fr"]
    skills = {(s.axis_code or s.theme.code, s.level) for s in profile.skills.select_related("theme")}
    assert skills == {("AX1", 3), ("AX2", 1), ("digital-iot", 2)}


def test_updating_replaces_the_skills(expert):
    update(expert.expert_profile, expert)
    update(expert.expert_profile, expert, axis_skills={"AX3": 2}, theme_skills={})
    assert list(ExpertSkill.objects.values_list("axis_code", "level")) == [("AX3", 2)]


@pytest.mark.parametrize(
    "values",
    [
        {"axis_skills": {"AX1": 4}},
        {"axis_skills": {"ax1": 2}},
        {"capacity": 99},
        {"day_rate": Decimal("-1")},
        {"organisation": " "},
        {"languages": ["xx"]},
    ],
    ids=["level 4", "bad axis code", "capacity", "negative rate", "no organisation", "unknown language"],
)
def test_bad_profile_input_is_refused_and_changes_nothing(expert, values):
    profile = expert.expert_profile
    with pytest.raises(InvalidInput):
        update(profile, expert, **values)
    profile.refresh_from_db()
    assert profile.organisation == "Cabinet Test"
    assert not profile.skills.exists()


@pytest.mark.parametrize("role", ["staff", "officer", "owner"])
def test_nobody_else_edits_an_expert_profile(request, role, expert):
    with pytest.raises(NotAllowed):
        update(expert.expert_profile, request.getfixturevalue(role))


def test_the_profile_form_page_saves_the_profile(client, expert, referential):
    client.force_login(expert)
    theme = TechnologyTheme.objects.get(code="energy-efficiency")
    response = client.post(
        EDIT,
        {
            "organisation": "Nouveau Cabinet",
            "bio": "",
            "regions": [Region.objects.get(code="53").pk],
            "languages": ["fr"],
            "day_rate": "700",
            "capacity": "2",
            "axis_AX1": "3",
            f"theme_{theme.pk}": "2",
        },
    )
    profile = expert.expert_profile
    assert response.url == reverse("experts:profile", args=[profile.pk])
    profile.refresh_from_db()
    assert profile.organisation == "Nouveau Cabinet"
    assert {(s.axis_code, s.theme_id, s.level) for s in profile.skills.all()} == {("AX1", None, 3), ("", theme.pk, 2)}


def test_the_profile_form_offers_the_published_axes_and_the_themes(client, expert, referential):
    client.force_login(expert)
    form = client.get(EDIT).context["form"]
    assert "axis_AX1" in form.fields and "axis_AX3" in form.fields
    assert sum(name.startswith("theme_") for name in form.fields) == TechnologyTheme.objects.count()


def test_the_profile_form_shows_errors_and_changes_nothing(client, expert):
    client.force_login(expert)
    response = client.post(EDIT, {"organisation": "", "day_rate": "-5", "capacity": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.organisation == "Cabinet Test"


@pytest.mark.parametrize("role", ["owner", "officer", "staff", "plain_user"])
def test_users_without_a_profile_get_403(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(EDIT).status_code == 403


def test_an_expert_edits_only_their_own_profile(client, expert):
    other = ExpertFactory()
    client.force_login(expert)
    client.post(EDIT, {"organisation": "Moi", "day_rate": "1", "capacity": "1"})
    other.refresh_from_db()
    assert other.organisation != "Moi"
