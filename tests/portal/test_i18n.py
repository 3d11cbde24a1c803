import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_french_is_the_default_language(client):
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "fr"
    assert "Se connecter" in response.content.decode()


def test_language_switcher_turns_the_site_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    english = client.get(reverse("login"))
    assert english.headers["Content-Language"] == "en"
    assert "Log in" in english.content.decode()

    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert client.get(reverse("login")).headers["Content-Language"] == "fr"


def test_reference_labels_follow_the_active_language():
    from django.utils import translation

    from portal.models import Region

    brittany = Region.objects.get(code="53")
    with translation.override("en"):
        assert brittany.label == "Brittany"
    with translation.override("fr"):
        assert brittany.label == "Bretagne"


def test_every_page_has_landmarks_a_skip_link_and_labelled_language_select(client):
    html = client.get(reverse("portal:signup")).content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html
    assert '<label for="language-select"' in html


def test_signup_fields_all_have_labels(client):
    response = client.get(reverse("portal:signup"))
    html = response.content.decode()
    for name in response.context["form"].fields:
        assert f'for="id_{name}"' in html, name
