"""Personal access tokens: made from the account page and shown once, scoped, expiring, revocable."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from portal.api import tokens
from portal.models import ApiToken
from tests.api.support import api_client, token_key
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/diagnostics/"  # any endpoint that needs a token


def test_a_token_is_shown_once_and_only_its_hash_is_stored(client, owner):
    client.force_login(owner)
    response = client.post(reverse("portal:api_tokens"), {"name": "Lien ERP", "scope": "read", "days": "90"})

    assert response.status_code == 200
    key = response.context["new_token"].key
    assert key.startswith(tokens.KEY_PREFIX) and key in response.content.decode()
    stored = ApiToken.objects.get(user=owner)
    assert stored.key_hash == ApiToken.hash_key(key) and key not in str(list(ApiToken.objects.values()))
    assert key not in client.get(reverse("portal:api_tokens")).content.decode()


def test_a_token_expires_after_the_chosen_number_of_days(owner):
    token = tokens.create_token(user=owner, name="x", scope="read", days=30).token
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_validity_longer_than_the_maximum_is_refused(owner, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    with translation.override("en"), pytest.raises(tokens.TokenError, match="validity"):
        tokens.create_token(user=owner, name="x", scope="read", days=180)


def test_the_form_refuses_a_blank_name_with_a_message_and_makes_nothing(client, owner):
    client.force_login(owner)
    response = client.post(reverse("portal:api_tokens"), {"name": "  ", "scope": "write", "days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_no_more_active_tokens_than_allowed(owner, settings):
    settings.API_TOKEN_MAX_ACTIVE = 2
    token_key(owner)
    token_key(owner)
    with translation.override("en"), pytest.raises(tokens.TokenError, match="revoke one first"):
        tokens.create_token(user=owner, name="third", scope="read", days=30)


def test_a_valid_token_authenticates_its_user(owner):
    assert api_client(owner).get(ME).status_code == 200


def test_a_call_without_a_token_is_refused_with_401_and_the_scheme(owner):
    response = api_client().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer idf_unknown", "Bearer \u00e9t\u00e9"])
def test_a_malformed_or_unknown_token_is_refused_with_401(header):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_refused(owner):
    key = token_key(owner, days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert api_client(key=key).get(ME).status_code == 401


def test_a_revoked_token_is_refused_at_once(client, owner):
    key = token_key(owner)
    token = ApiToken.objects.get(user=owner)
    client.force_login(owner)
    response = client.post(reverse("portal:api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert api_client(key=key).get(ME).status_code == 401


def test_nobody_revokes_another_users_token(client, owner):
    token_key(owner)
    client.force_login(UserFactory())
    response = client.post(reverse("portal:api_token_revoke", args=[ApiToken.objects.get().pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_disabled_account_cannot_use_its_token(owner):
    key = token_key(owner)
    owner.is_active = False
    owner.save()
    assert api_client(key=key).get(ME).status_code == 401


def test_the_last_use_is_recorded_at_most_every_few_minutes(owner):
    key = token_key(owner)
    client = api_client(key=key)
    client.get(ME)
    first = ApiToken.objects.get().last_used_at
    client.get(ME)
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(timezone.now() + tokens.LAST_USED_PRECISION + timedelta(seconds=1)):
        client.get(ME)
    assert ApiToken.objects.get().last_used_at > first


def test_a_read_only_token_cannot_write(owner):
    response = api_client(owner, "read").put("/api/v1/diagnostics/1/answers/X-1/", {"level": 1}, format="json")
    assert response.status_code == 403
    assert "read only" in response.json()["detail"] or "lecture" in response.json()["detail"]


def test_a_session_cookie_does_not_authenticate_the_api(client, owner):
    client.force_login(owner)
    assert client.get(ME).status_code == 401


def test_the_api_answers_in_the_language_asked(owner):
    client = api_client()
    assert "authentification" in client.get(ME, HTTP_ACCEPT_LANGUAGE="fr").json()["detail"].lower()
    assert "authentication" in client.get(ME, HTTP_ACCEPT_LANGUAGE="en").json()["detail"].lower()


def test_calls_beyond_the_rate_are_refused_with_429_and_retry_after(owner, settings):
    settings.API_TOKEN_RATE = "3/minute"
    client = api_client(owner)
    statuses = [client.get(ME).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(ME)
    assert int(response["Retry-After"]) > 0 and response.json()["code"] == "throttled"


def test_anonymous_calls_are_throttled_per_address(settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    client = api_client()
    statuses = [client.get("/api/v1/referentials/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_an_unknown_api_address_answers_json_404():
    response = api_client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_closing_the_company_deletes_its_members_tokens(client):
    from tests.portal.privacy_support import populated_company

    populated = populated_company()
    key = token_key(populated.owner)
    client.force_login(populated.owner)
    response = client.post(
        reverse("portal:company_close", args=[populated.company.pk]),
        {"confirmation": populated.company.name, "understood": "on"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=populated.owner).exists()
    assert api_client(key=key).get(ME).status_code == 401
