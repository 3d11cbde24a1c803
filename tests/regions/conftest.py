import pytest
from django.utils import translation


@pytest.fixture
def english(client, settings):
    """Messages in English (the project's default language is French), for the code and the test client."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _second_factor_not_in_the_way(settings):
    """These tests are about programmes, not accounts: officers and staff are not asked for a second
    factor here (the portal's own tests cover it)."""
    settings.OTP_REQUIRED_FOR_ROLES = False
