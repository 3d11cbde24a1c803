"""Two-factor authentication (TOTP): required for officers and staff, offered to everyone."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.portal.factories import DEFAULT_PASSWORD
from tests.portal.two_factor import device_for, token_for

pytestmark = pytest.mark.django_db

SETUP = reverse("portal:otp_setup")
VERIFY = reverse("portal:otp_verify")


def password_login(user):
    """A real login through the form: password only, second factor not yet given."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def code(device, offset_steps=0):
    """What the authenticator shows, computed from the device key as django-otp does."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps):06d}"


def wrong(device):
    right = code(device)
    return next(candidate for candidate in ("000000", "111111") if candidate != right)


# --- Officers and staff must use it ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "space"), [("officer", "regions:my_region"), ("staff", "regions:national")])
def test_without_a_device_officer_and_staff_are_sent_to_set_one_up(request, role, space):
    client = password_login(request.getfixturevalue(role))
    response = client.get(reverse(space))
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next={reverse(space).replace('/', '%2F')}"


def test_staff_admin_also_requires_the_second_factor(staff):
    staff.is_superuser = True
    staff.save()
    client = password_login(staff)
    assert client.get("/admin/").url.startswith(SETUP)


def test_setup_shows_an_inline_svg_qr_code_and_the_key(officer):
    client = password_login(officer)
    response = client.get(SETUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="qr-code" role="img"' in html
    assert "<img" not in html.split("<main", 1)[1]  # no image fetched from elsewhere
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert response.context["secret"].replace(" ", "") in device.config_url
    # Reloading the page shows the same key (the app already scanned stays valid).
    assert client.get(SETUP).context["secret"] == response.context["secret"]


def test_the_right_code_confirms_the_device_and_opens_the_space(officer):
    client = password_login(officer)
    space = reverse("regions:my_region")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(SETUP, {"token": code(device), "next": space})
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:recovery_codes"))  # shown once, then on to the space
    assert client.get(response.url).context["next"] == space
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(space).status_code == 200


def test_a_wrong_code_at_setup_is_explained_and_confirms_nothing(officer):
    client = password_login(officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(SETUP, {"token": wrong(device)})
    assert response.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("regions:my_region")).status_code == 302


def test_with_a_device_the_login_asks_for_the_code_and_the_right_one_lets_in(officer):
    device = device_for(officer)
    client = password_login(officer)
    space = reverse("regions:my_region")
    response = client.get(space)
    assert response.url.startswith(VERIFY)

    response = client.post(VERIFY, {"token": code(device), "next": space})
    assert response.status_code == 302
    assert response.url == space
    assert client.get(space).status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_is_refused_with_a_clear_message(officer):
    device = device_for(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"token": wrong(device)})
    assert response.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in response.content.decode()
    assert client.get(reverse("regions:my_region")).url.startswith(VERIFY)


def test_letters_are_refused_before_any_check(officer):
    device_for(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"token": "abc123"})
    assert response.context["form"].has_error("token", "format")


def test_repeated_wrong_codes_are_slowed_down(officer):
    device = device_for(officer)
    client = password_login(officer)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        client.post(VERIFY, {"token": wrong(device)})
        response = client.post(VERIFY, {"token": code(device)})  # even the right one, too soon
    assert "Trop de codes erronés" in response.content.decode()
    with time_machine.travel(t0 + timedelta(seconds=3), tick=False):
        assert client.post(VERIFY, {"token": code(device)}).status_code == 302


def test_a_code_cannot_be_used_twice(officer):
    device = device_for(officer)
    used = code(device)
    first = password_login(officer)
    assert first.post(VERIFY, {"token": used}).status_code == 302
    second = password_login(officer)
    assert second.post(VERIFY, {"token": used}).status_code == 200


def test_the_session_key_changes_once_verified(officer):
    device = device_for(officer)
    client = password_login(officer)
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"token": code(device)})
    assert client.cookies["sessionid"].value != before


def test_the_next_parameter_cannot_send_elsewhere(officer):
    device = device_for(officer)
    client = password_login(officer)
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_htmx_requests_are_told_to_redirect_the_page(officer):
    device_for(officer)
    client = password_login(officer)
    response = client.get(reverse("regions:my_region"), HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith(VERIFY)


def test_logout_and_public_pages_stay_reachable_before_the_second_factor(officer):
    client = password_login(officer)
    assert client.get(reverse("home")).status_code == 302  # to the space, which asks for the code
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_a_forged_session_device_id_does_not_count(officer, staff):
    """The session names a device: another user's device is not accepted."""
    other_device = device_for(staff)
    device_for(officer)
    client = password_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = other_device.persistent_id
    session.save()
    assert client.get(reverse("regions:my_region")).url.startswith(VERIFY)


def test_the_requirement_can_be_switched_off(officer, settings):
    settings.OTP_REQUIRED_FOR_ROLES = False
    client = password_login(officer)
    assert client.get(reverse("regions:my_region")).status_code == 200


def test_a_new_officer_post_applies_at_once(plain_user):
    from tests.portal.factories import RegionOfficerFactory

    client = password_login(plain_user)
    assert client.get(reverse("home")).status_code == 200
    RegionOfficerFactory(user=plain_user)
    assert client.get(reverse("regions:my_region")).url.startswith(SETUP)


# --- Everyone else may use it ------------------------------------------------------------------------


def test_an_sme_user_is_not_forced(owner):
    client = password_login(owner)
    assert client.get(reverse("portal:my_company")).status_code == 302  # to its company page
    assert client.get(reverse("portal:my_company"), follow=True).status_code == 200


def test_an_sme_user_enrols_from_the_security_page_and_is_asked_at_the_next_login(owner):
    client = password_login(owner)
    page = client.get(reverse("portal:security"))
    assert page.status_code == 200
    assert SETUP in page.content.decode()

    client.get(SETUP)
    device = TOTPDevice.objects.get(user=owner)
    assert client.post(SETUP, {"token": code(device)}).url.startswith(reverse("portal:recovery_codes"))
    assert "Activée" in client.get(reverse("portal:security")).content.decode()

    again = password_login(owner)
    assert again.get(reverse("portal:my_company")).url.startswith(VERIFY)
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        assert again.post(VERIFY, {"token": code(device)}).status_code == 302
        assert again.get(reverse("portal:my_company"), follow=True).status_code == 200


def test_removing_the_device_requires_a_verified_session_and_officers_must_enrol_again(officer):
    device = device_for(officer)
    unverified = password_login(officer)
    assert unverified.post(reverse("portal:otp_remove")).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    verified = Client()
    verified.force_login(officer)  # counts as verified (tests/conftest.py)
    assert verified.post(reverse("portal:otp_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert verified.get(reverse("regions:my_region")).url.startswith(SETUP)


def test_an_enrolled_user_cannot_add_a_device_without_the_first(owner):
    device_for(owner)
    client = password_login(owner)
    assert client.get(SETUP).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=owner).count() == 1


# --- The test helpers colleagues rely on ----------------------------------------------------------------


def test_force_login_counts_as_verified_for_officers_and_staff(officer, staff):
    for user, space in ((officer, "regions:my_region"), (staff, "regions:national")):
        client = Client()
        client.force_login(user)
        assert client.get(reverse(space)).status_code == 200


@pytest.mark.second_factor_unverified
def test_the_marker_leaves_force_login_unverified(officer, login_verified):
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("regions:my_region")).url.startswith(SETUP)
    login_verified(client, officer)
    assert client.get(reverse("regions:my_region")).status_code == 200


def test_token_helper_matches_the_device(officer):
    device = device_for(officer)
    assert token_for(device) == code(device)
