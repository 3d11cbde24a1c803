"""Recovery codes of the second factor (django-otp's static plugin): made at enrolment, shown once,
single-use at the code page instead of the app's code, regenerated from the account's security page."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security import new_recovery_codes, recovery_code_for_humans
from tests.portal.factories import DEFAULT_PASSWORD
from tests.portal.two_factor import device_for, token_for

pytestmark = pytest.mark.django_db

SETUP = reverse("portal:otp_setup")
VERIFY = reverse("portal:otp_verify")
RECOVERY = reverse("portal:recovery_codes")
SECURITY = reverse("portal:security")

# Every role with a second factor: officers and staff must use it, a company's user or an expert may opt in.
ROLES = [
    ("officer", "regions:my_region"),
    ("staff", "regions:national"),
    ("owner", "portal:security"),
    ("expert", "portal:security"),
]


def password_login(user):
    """A real login through the form: password only, second factor not yet given."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def stored_codes(user):
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def enrolled(user):
    """A confirmed authenticator and a set of recovery codes, as after enrolment."""
    device_for(user)
    return new_recovery_codes(user=user)


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def is_verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


# --- At enrolment -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "space"), ROLES)
def test_enrolment_makes_ten_distinct_codes_and_shows_them_once(request, role, space):
    user = request.getfixturevalue(role)
    client = password_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": token_for(device), "next": reverse(space)})
    assert response.url.startswith(RECOVERY)

    page = client.get(response.url)
    html = page.content.decode()
    shown = page.context["codes"]
    assert len(shown) == 10
    assert len(set(shown)) == 10
    assert {code.replace("-", "") for code in shown} == stored_codes(user)
    assert all(code in html for code in shown)
    assert "affichés une seule fois" in html
    assert page.context["next"] == reverse(space)

    again = client.get(RECOVERY)
    assert again.context["codes"] == []
    assert not any(code in again.content.decode() for code in shown)
    assert "Il vous reste 10 codes de secours." in again.content.decode()


def test_the_codes_are_readable_groups_of_four(officer):
    codes = enrolled(officer)
    assert all(len(code) == 12 and code.isalnum() and code == code.lower() for code in codes)
    assert recovery_code_for_humans("abcdefghijkl") == "abcd-efgh-ijkl"


def test_the_codes_page_is_never_cached(officer):
    enrolled(officer)
    client = Client()
    client.force_login(officer)
    client.post(RECOVERY)
    assert "no-store" in client.get(RECOVERY)["Cache-Control"]


def test_the_page_with_the_codes_offers_a_text_file_without_javascript(officer):
    enrolled(officer)
    client = Client()
    client.force_login(officer)
    client.post(RECOVERY)
    page = client.get(RECOVERY)
    first = page.context["codes"][0]
    assert 'href="data:text/plain;charset=utf-8,' in page.content.decode()
    assert f"{first}%0A" in page.content.decode()


# --- At the code page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "space"), ROLES)
def test_a_recovery_code_verifies_the_session_then_works_no_more(request, role, space):
    user = request.getfixturevalue(role)
    codes = enrolled(user)
    used = recovery_code_for_humans(codes[0])
    client = password_login(user)
    response = client.post(VERIFY, {"recovery_code": used, "next": reverse(space)})
    assert response.status_code == 302
    assert response.url == reverse(space)
    assert client.get(reverse(space), follow=True).status_code == 200
    assert is_verified(client)
    assert codes[0] not in stored_codes(user)

    again = password_login(user)
    response = again.post(VERIFY, {"recovery_code": used})
    assert response.status_code == 200
    assert "déjà été utilisé" in response.content.decode()
    assert not is_verified(again)


def test_the_code_may_be_typed_with_spaces_and_capitals(officer):
    codes = enrolled(officer)
    client = password_login(officer)
    typed = " ".join(codes[0][i : i + 4] for i in range(0, 12, 4)).upper()
    assert client.post(VERIFY, {"recovery_code": typed}).status_code == 302
    assert is_verified(client)


def test_after_a_recovery_code_the_user_is_told_how_many_are_left(officer):
    codes = enrolled(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"recovery_code": codes[0]})
    assert message_texts(response) == ["Code de secours accepté. Il vous reste 9 codes de secours."]


def test_with_two_codes_left_the_user_is_urged_to_generate_new_ones(officer):
    codes = enrolled(officer)
    StaticToken.objects.filter(token__in=codes[3:]).delete()
    client = password_login(officer)
    response = client.post(VERIFY, {"recovery_code": codes[0]})
    (text,) = message_texts(response)
    assert text.startswith("Code de secours accepté. Il vous reste 2 codes de secours.")
    assert "Générez-en de nouveaux" in text


def test_with_three_codes_left_there_is_no_warning_yet(officer):
    codes = enrolled(officer)
    StaticToken.objects.filter(token__in=codes[4:]).delete()
    client = password_login(officer)
    (text,) = message_texts(client.post(VERIFY, {"recovery_code": codes[0]}))
    assert "Générez-en" not in text


def test_a_wrong_recovery_code_changes_nothing_and_says_so(officer):
    codes = enrolled(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"recovery_code": "aaaa-bbbb-cccc"})
    assert response.status_code == 200
    assert "Ce code de secours n&#x27;est pas valide" in response.content.decode()
    assert stored_codes(officer) == set(codes)
    assert not is_verified(client)
    assert client.get(reverse("regions:my_region")).url.startswith(VERIFY)


def test_a_recovery_code_is_refused_in_english_for_an_english_user(officer):
    enrolled(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"recovery_code": "aaaa-bbbb-cccc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This recovery code is not valid" in response.content.decode()


def test_signs_other_than_letters_and_digits_are_refused_before_any_check(officer):
    enrolled(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"recovery_code": "abcd;efgh"})
    assert response.context["recovery_form"].has_error("recovery_code", "format")


def test_another_users_code_does_not_work(officer, staff):
    enrolled(officer)
    others = enrolled(staff)
    client = password_login(officer)
    assert client.post(VERIFY, {"recovery_code": others[0]}).status_code == 200
    assert not is_verified(client)
    assert others[0] in stored_codes(staff)


def test_a_wrong_recovery_code_counts_toward_the_code_throttle(officer):
    codes = enrolled(officer)
    device = TOTPDevice.objects.get(user=officer)
    client = password_login(officer)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        client.post(VERIFY, {"recovery_code": "aaaa-bbbb-cccc"})
        by_app = client.post(VERIFY, {"token": token_for(device)})  # even the right one, too soon
        by_code = client.post(VERIFY, {"recovery_code": codes[0]})
    assert "Trop de codes erronés" in by_app.content.decode()
    assert "Trop de codes erronés" in by_code.content.decode()
    assert codes[0] in stored_codes(officer)
    with time_machine.travel(t0 + timedelta(seconds=3), tick=False):
        assert client.post(VERIFY, {"recovery_code": codes[0]}).status_code == 302


# --- Regenerating -------------------------------------------------------------------------------------


def test_regenerating_replaces_every_code_and_the_old_ones_stop_working(officer):
    old = enrolled(officer)
    client = Client()
    client.force_login(officer)
    response = client.post(RECOVERY)
    assert response.status_code == 302
    new = client.get(response.url).context["codes"]
    assert len(new) == 10
    assert stored_codes(officer) == {code.replace("-", "") for code in new}
    assert not stored_codes(officer) & set(old)

    login = password_login(officer)
    assert login.post(VERIFY, {"recovery_code": old[0]}).status_code == 200
    assert not is_verified(login)


def test_a_user_enrolled_before_recovery_codes_can_make_a_first_set(officer):
    device_for(officer)
    client = Client()
    client.force_login(officer)
    assert "Il vous reste 0 code de secours." in client.get(RECOVERY).content.decode()
    client.post(RECOVERY)
    assert len(stored_codes(officer)) == 10
    assert StaticDevice.objects.filter(user=officer).count() == 1


def test_a_session_verified_by_a_recovery_code_may_regenerate(officer):
    codes = enrolled(officer)
    client = password_login(officer)
    client.post(VERIFY, {"recovery_code": codes[0]})
    assert client.post(RECOVERY).status_code == 302
    assert not stored_codes(officer) & set(codes)
    assert client.get(reverse("regions:my_region")).status_code == 200  # the session stays verified


def test_the_pages_show_how_many_codes_are_left_never_the_codes(owner):
    codes = enrolled(owner)
    StaticToken.objects.filter(token=codes[0]).delete()
    client = Client()
    client.force_login(owner)
    for url in (RECOVERY, SECURITY):
        html = client.get(url).content.decode()
        assert "Il vous reste 9 codes de secours" in html
        assert not any(code in html or recovery_code_for_humans(code) in html for code in codes)


def test_an_unverified_session_cannot_regenerate(officer):
    codes = enrolled(officer)
    client = password_login(officer)
    response = client.post(RECOVERY)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert stored_codes(officer) == set(codes)
    assert client.get(RECOVERY).url.startswith(VERIFY)


def test_an_anonymous_visitor_is_sent_to_log_in(officer):
    codes = enrolled(officer)
    client = Client()
    for response in (client.get(RECOVERY), client.post(RECOVERY)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert stored_codes(officer) == set(codes)


def test_without_an_authenticator_there_are_no_codes_to_make(owner):
    client = Client()
    client.force_login(owner)
    response = client.post(RECOVERY)
    assert response.url == SECURITY
    assert not StaticDevice.objects.filter(user=owner).exists()


# --- Removing the authenticator, staff's reset ----------------------------------------------------------


def test_removing_the_authenticator_removes_the_recovery_codes(owner):
    enrolled(owner)
    client = Client()
    client.force_login(owner)
    client.post(reverse("portal:otp_remove"))
    assert not StaticDevice.objects.filter(user=owner).exists()
    assert not StaticToken.objects.exists()


def test_staff_reset_in_the_admin_deletes_the_codes_and_officers_enrol_again(officer, staff):
    enrolled(officer)
    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    device = TOTPDevice.objects.get(user=officer)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert password_login(officer).get(reverse("regions:my_region")).url.startswith(SETUP)


def test_the_admin_lists_the_recovery_code_devices(officer, staff):
    enrolled(officer)
    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    response = admin.get(reverse("admin:otp_static_staticdevice_changelist"))
    assert response.status_code == 200
    change = reverse("admin:otp_static_staticdevice_change", args=[StaticDevice.objects.get(user=officer).pk])
    assert change in response.content.decode()


def test_the_admin_never_shows_a_recovery_code_or_an_authenticator_key(officer, staff):
    enrolled(officer)
    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    codes = admin.get(reverse("admin:otp_static_staticdevice_change", args=[StaticDevice.objects.get(user=officer).pk]))
    totp = TOTPDevice.objects.get(user=officer)
    key = admin.get(reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]))
    assert codes.status_code == key.status_code == 200
    assert not [code for code in stored_codes(officer) if code in codes.content.decode()]
    assert totp.key not in key.content.decode()


def test_a_pending_authenticator_deleted_at_confirmation_keeps_the_new_codes(officer):
    """Confirming deletes the user's other, unconfirmed devices: the fresh codes must survive it."""
    client = password_login(officer)
    client.get(SETUP)
    TOTPDevice.objects.create(user=officer, name="Second try", confirmed=False)
    device = TOTPDevice.objects.filter(user=officer).order_by("-pk").first()  # the one the page shows
    client.post(SETUP, {"token": token_for(device)})
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert len(stored_codes(officer)) == 10


def test_after_a_wrong_recovery_code_the_cursor_is_in_the_recovery_field(officer):
    enrolled(officer)
    client = password_login(officer)
    html = client.post(VERIFY, {"recovery_code": "aaaa-bbbb-cccc"}).content.decode()
    assert 'name="recovery_code"' in html.split("autofocus", 1)[0].rsplit("<input", 1)[1]
    assert 'name="token"' in client.get(VERIFY).content.decode().split("autofocus", 1)[0].rsplit("<input", 1)[1]
