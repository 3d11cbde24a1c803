"""The privacy page: public, in French and English, linked from every page's footer, with the
retention delays read from the settings."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_privacy_page_without_logging_in(client):
    response = client.get(reverse("portal:privacy"))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["owner", "member", "officer", "expert", "staff", "plain_user"])
def test_every_role_reads_the_privacy_page(client, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("portal:privacy")).status_code == 200


def test_the_page_shows_the_retention_delays_of_the_settings(client, settings):
    settings.RETENTION_DRAFT_DAYS = 123
    settings.RETENTION_EXPIRED_INVITATION_DAYS = 45

    page = client.get(reverse("portal:privacy")).content.decode()

    assert "123" in page and "45" in page


def test_the_page_is_in_french_by_default_and_in_english_on_request(client):
    french = client.get(reverse("portal:privacy")).content.decode()
    with translation.override("en"):
        english = client.get(reverse("portal:privacy"), headers={"accept-language": "en"}).content.decode()

    assert "Who sees it" in english
    assert "Who sees it" not in french


def test_the_page_says_who_sees_the_data_and_how_to_exercise_the_rights(client):
    page = client.get(reverse("portal:privacy"), headers={"accept-language": "en"}).content.decode()

    assert "at least 5 companies" in page
    assert "download all the company's data" in page
    assert "close the company's account" in page


def test_the_footer_of_every_page_links_to_the_privacy_page(client):
    home = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("portal:privacy")}"' in home


def test_the_privacy_page_answers_get_only(client):
    assert client.post(reverse("portal:privacy")).status_code == 405
