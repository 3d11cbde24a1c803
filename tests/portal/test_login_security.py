"""Login throttling (django-axes) and no account enumeration on login, reset and sign-up."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.portal.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


def attempt(client, email, password="wrong-password", ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail(client, email, times, ip="192.0.2.10"):
    return [attempt(client, email, ip=ip) for _ in range(times)]


def test_settings_lock_a_username_and_address_pair_after_five_failures_for_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    # Django's ModelBackend, reading the request's viewer with the user row (portal/viewer.py).
    assert "portal.auth.PortalBackend" in settings.AUTHENTICATION_BACKENDS
    assert "rules.permissions.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS


def test_four_failures_still_show_the_form(client, owner):
    responses = fail(client, owner.email, LIMIT - 1)
    assert [r.status_code for r in responses] == [200] * (LIMIT - 1)
    assert responses[-1].context["form"].non_field_errors()


def test_the_fifth_failure_locks_out_with_a_clear_page_in_french(client, owner):
    responses = fail(client, owner.email, LIMIT)
    lockout = responses[-1]
    assert lockout.status_code == 429
    html = lockout.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "15 minutes" in html
    assert reverse("password_reset") in html
    assert "registration/lockout.html" in [t.name for t in lockout.templates]


def test_the_lockout_page_is_in_english_for_english_visitors(client, owner):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = fail(client, owner.email, LIMIT)[-1].content.decode()
    assert "Login temporarily blocked" in html
    assert "15 minutes" in html


def test_while_locked_out_even_the_right_password_is_refused(client, owner):
    fail(client, owner.email, LIMIT)
    response = attempt(client, owner.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_lockout_ends_after_the_cool_off(client, owner):
    fail(client, owner.email, LIMIT)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = attempt(client, owner.email, DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_the_lockout_is_per_username_and_address_pair(client, owner):
    fail(client, owner.email, LIMIT)
    # Same e-mail from another address: the real owner elsewhere is not locked out.
    assert attempt(client, owner.email, DEFAULT_PASSWORD, ip="198.51.100.7").status_code == 302
    client.logout()
    # Another e-mail from the locked address is not locked either.
    other = UserFactory()
    assert attempt(client, other.email, DEFAULT_PASSWORD).status_code == 302


def test_changing_the_case_of_the_email_does_not_reset_the_counter(client, owner):
    fail(client, owner.email.upper(), LIMIT - 1)
    assert attempt(client, owner.email.capitalize()).status_code == 429


def test_a_success_resets_the_counter(client, owner):
    fail(client, owner.email, LIMIT - 1)
    assert attempt(client, owner.email, DEFAULT_PASSWORD).status_code == 302
    client.logout()
    assert fail(client, owner.email, LIMIT - 1)[-1].status_code == 200


def test_failures_and_lockouts_are_logged_and_recorded(client, owner, caplog):
    from axes.models import AccessAttempt

    with caplog.at_level(logging.INFO):
        fail(client, owner.email, LIMIT)
    assert any(r.name == "portal.security" and "locked out" in r.getMessage() for r in caplog.records)
    assert any(r.name.startswith("axes") and "failure" in r.getMessage().lower() for r in caplog.records)
    recorded = AccessAttempt.objects.get()
    assert recorded.username == owner.email
    assert recorded.failures_since_start == LIMIT


def test_unknown_address_locks_out_the_same_way(client):
    """Lockout says nothing about whether an account exists."""
    responses = fail(client, "nobody@example.fr", LIMIT)
    assert responses[-1].status_code == 429


# --- No enumeration --------------------------------------------------------------------------------


def login_errors(response):
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_login_error_is_the_same_for_unknown_address_wrong_password_and_disabled_account(client, owner):
    disabled = UserFactory(is_active=False)
    unknown = login_errors(attempt(client, "nobody@example.fr", ip="192.0.2.1"))
    wrong = login_errors(attempt(client, owner.email, ip="192.0.2.2"))
    inactive = login_errors(attempt(client, disabled.email, DEFAULT_PASSWORD, ip="192.0.2.3"))
    assert unknown == wrong == inactive
    assert len(unknown) == 1


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, owner):
    known = client.post(reverse("password_reset"), {"email": owner.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.fr"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    page = client.get(known.url).content.decode()
    assert owner.email not in page


def test_password_reset_link_expires_after_a_day(client, owner, settings):
    import re

    from django.core import mail

    client.post(reverse("password_reset"), {"email": owner.email})
    link = re.search(r"https?://[^/]+(/compte/reset/\S+/)", mail.outbox[0].body).group(1)
    # Two hours past the limit: Django's reset tokens read the naive local clock, which time-machine
    # may shift by the time-zone offset.
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        assert client.get(link, follow=True).context["validlink"] is False
