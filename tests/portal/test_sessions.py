"""Session lifetimes, cookie flags, and disabling an account ending its sessions at once."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import UserSession
from portal.sessions import SessionStore
from tests.portal.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)


def is_in(client, url_name):
    response = client.get(reverse(url_name))
    return response.status_code == 200 or (response.status_code == 302 and "/compte/login/" not in response.url)


def start(user, at):
    client = Client()
    with time_machine.travel(at, tick=False):
        client.force_login(user)
    return client


def test_settings_say_thirty_minutes_idle_for_officers_and_staff_and_twelve_hours_for_everyone(settings):
    assert IDLE.total_seconds() == settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
    assert ABSOLUTE.total_seconds() == settings.SESSION_ABSOLUTE_LIFETIME
    assert settings.SESSION_ENGINE == "portal.sessions"
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize(("role", "space"), [("officer", "regions:my_region"), ("staff", "regions:national")])
def test_officer_and_staff_sessions_end_after_thirty_idle_minutes(request, role, space):
    t0 = timezone.now()
    client = start(request.getfixturevalue(role), t0)
    with time_machine.travel(t0 + timedelta(minutes=29), tick=False):
        assert is_in(client, space)
    with time_machine.travel(t0 + timedelta(minutes=29) + IDLE + timedelta(seconds=5), tick=False):
        response = client.get(reverse(space))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert "Votre session a expiré" in client.get(response.url).content.decode()


def test_activity_keeps_an_officer_session_alive(officer):
    t0 = timezone.now()
    client = start(officer, t0)
    for minutes in (20, 45, 70, 95):
        with time_machine.travel(t0 + timedelta(minutes=minutes), tick=False):
            assert is_in(client, "regions:my_region"), minutes


def test_the_officer_session_cookie_and_row_expire_with_the_idle_delay(officer):
    client = start(officer, timezone.now())
    response = client.get(reverse("regions:my_region"))
    assert response.status_code == 200
    row = UserSession.objects.get(user=officer)
    assert row.expire_date - timezone.now() <= IDLE + timedelta(minutes=15, seconds=5)


def test_an_sme_session_survives_an_idle_hour(owner):
    t0 = timezone.now()
    client = start(owner, t0)
    with time_machine.travel(t0 + timedelta(hours=2), tick=False):
        assert is_in(client, "portal:my_company")


def test_every_session_ends_twelve_hours_after_login_whatever_the_activity(owner):
    t0 = timezone.now()
    client = start(owner, t0)
    for hours in range(1, 12):
        with time_machine.travel(t0 + timedelta(hours=hours), tick=False):
            assert is_in(client, "portal:my_company"), hours
    with time_machine.travel(t0 + ABSOLUTE + timedelta(minutes=1), tick=False):
        response = client.get(reverse("portal:my_company"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        page = client.get(response.url)
    assert "Votre session a expiré" in page.content.decode()


def test_a_session_is_recorded_with_its_user(owner):
    client = Client()
    client.post(reverse("login"), {"username": owner.email, "password": DEFAULT_PASSWORD})
    assert UserSession.objects.filter(user=owner).count() == 1


def test_disabling_an_account_ends_all_its_sessions_at_once(owner, member):
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(owner)
    phone.force_login(owner)
    colleague.force_login(member)
    keys = list(UserSession.objects.filter(user=owner).values_list("session_key", flat=True))
    assert len(keys) == 2
    assert all(cache.get(SessionStore.cache_key_prefix + key) is not None for key in keys)

    owner.is_active = False
    owner.save()

    assert not UserSession.objects.filter(user=owner).exists()
    assert all(cache.get(SessionStore.cache_key_prefix + key) is None for key in keys)
    for client in (laptop, phone):
        assert client.get(reverse("portal:my_company")).status_code == 302
    assert colleague.get(reverse("portal:my_company")).status_code == 302  # still in: redirect to its company
    assert UserSession.objects.filter(user=member).exists()


def test_deleting_an_account_ends_its_sessions(plain_user):
    client = Client()
    client.force_login(plain_user)
    key = client.session.session_key
    plain_user.delete()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert cache.get(SessionStore.cache_key_prefix + key) is None


def test_logout_removes_the_session_row(owner):
    client = Client()
    client.force_login(owner)
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=owner).exists()


def test_production_cookies_are_secure_httponly_and_samesite():
    from tests.portal.test_settings import run_with

    probe = (
        "import json, django; from django.conf import settings; django.setup(); print(json.dumps(["
        "settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE,"
        "settings.CSRF_COOKIE_SECURE, settings.CSRF_COOKIE_HTTPONLY, settings.CSRF_COOKIE_SAMESITE]))"
    )
    result = run_with(
        {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portail.example.fr"}, "-c", probe
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == '[true, true, "Lax", true, true, "Lax"]'
