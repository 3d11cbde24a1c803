"""Test helpers for two-factor authentication (django-otp TOTP).

`client.force_login(user)` already counts as verified for users who need a second factor (officers,
staff, anyone with an authenticator): an autouse fixture in tests/conftest.py wraps it with
`verify_session`. A test that wants the unverified state marks itself `second_factor_unverified`,
or logs in through the login form.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security import current_token, needs_second_factor, remember_device, security_profile


def device_for(user):
    """The user's confirmed TOTP device, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def verify_session(client, user):
    """Mark the client's session as having passed the second factor, as django_otp.login() would."""
    device = device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    remember_device(device)  # as the verification page does
    security_profile(user)  # cached again, as after the verification request
    return device


def login_verified(client, user):
    """force_login, then the second factor: what an officer or staff session looks like after login."""
    _original_force_login(client, user)
    return verify_session(client, user)


def token_for(device):
    """The code the user's authenticator app shows now."""
    device.refresh_from_db()
    return current_token(device)


_original_force_login = Client.force_login


def force_login_with_second_factor(client, user, backend=None):
    _original_force_login(client, user, backend)
    if needs_second_factor(user):
        verify_session(client, user)
