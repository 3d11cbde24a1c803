"""The directory's labels (the axes' titles and the codes experts declared) and its filters' form are
cached: a warm directory does not read them again, and a profile's update that declares a new axis
code shows in the choices at once."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from experts import services
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.experts.factories import ReferencedExpertFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("experts:directory")


@pytest.fixture
def referential(db):
    return PublishedReferentialFactory(axes=2, questions=1)


def axis_options(client, **params):
    return dict(client.get(DIRECTORY, params).context["filter"].filters["axis"].extra["choices"])


def declare(expert, axis_skills):
    return services.update_profile(
        expert=expert,
        by=expert.user,
        organisation="Cabinet Conseil",
        day_rate=Decimal("900"),
        capacity=3,
        axis_skills=axis_skills,
    )


def test_a_warm_directory_reads_no_label(client, referential, django_assert_max_num_queries):
    ReferencedExpertFactory()
    cache.clear()
    with django_assert_max_num_queries(30) as cold:
        client.get(DIRECTORY)
    cold = len(cold)  # (a request resets the connection's log: counted now)
    # The axes' choices (one query) and the filters' dropdowns (regions, themes) are not read.
    with django_assert_max_num_queries(cold - 3):
        client.get(DIRECTORY)


def test_a_newly_declared_axis_code_shows_in_the_warm_choices(client, referential):
    expert = ReferencedExpertFactory()
    assert "LEGACY" not in axis_options(client)
    declare(expert, {"LEGACY": 3})
    assert axis_options(client)["LEGACY"] == "LEGACY"
    assert 'value="LEGACY"' in client.get(DIRECTORY).content.decode()


def test_the_filters_keep_the_values_sent(client, referential):
    ReferencedExpertFactory()
    client.get(DIRECTORY)
    page = client.get(DIRECTORY, {"q": "robotique"}).content.decode()
    assert 'value="robotique"' in page


def test_each_language_has_its_own_labels(client, referential, settings):
    ReferencedExpertFactory()
    french = client.get(DIRECTORY).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(DIRECTORY).content.decode()
    assert "Toutes les régions" in french
    assert "All regions" in english
