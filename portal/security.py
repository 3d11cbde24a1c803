"""Account security: who needs a second factor, ending a person's sessions, TOTP enrolment.

- `needs_second_factor(user)`: officers and staff (when `OTP_REQUIRED_FOR_ROLES`), and anyone who
  enrolled an authenticator, must verify a code before any page that is not public. The answer is
  cached per user (no query per request) and dropped whenever a role or a device changes.
- `end_sessions(user)`: deletes every session of the user, from the database and the cache; run when
  an account is disabled or deleted.
- TOTP helpers for the enrolment page: the device being set up, its QR code as inline SVG.
- Recovery codes (django-otp's static plugin: one StaticDevice per user holding single-use
  StaticTokens): `new_recovery_codes(user=...)` replaces them when the authenticator is confirmed
  and on request; any of them passes the second factor once instead of the app's code. They belong
  to the authenticator: when a user's last confirmed authenticator is deleted (removed by the user,
  reset by staff in the admin, account closed), their recovery codes are deleted with it.
"""

import logging
import re
import secrets
import time
from base64 import b32encode
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.html import escape
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import RegionOfficer, User, UserSession

logger = logging.getLogger("portal.security")

SESSION_STARTED_KEY = "_portal_session_started"
LAST_ACTIVITY_KEY = "_portal_last_activity"
# The inactivity clock of officers and staff is written at most this often (seconds), so that a burst
# of requests (autosave, htmx polling) does not write the session each time.
ACTIVITY_WRITE_INTERVAL = 60
_PROFILE_TIMEOUT = 300  # a safety net: every change that matters deletes the entry at once


@dataclass(frozen=True)
class SecurityProfile:
    is_officer: bool
    has_device: bool


def _profile_key(user_id):
    return f"portal:security-profile:{user_id}"


def security_profile(user):
    """Whether the user holds an officer post and has a confirmed authenticator: one query, then cached."""
    key = _profile_key(user.pk)
    profile = cache.get(key)
    if profile is None:
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                is_officer=Exists(RegionOfficer.objects.filter(user_id=OuterRef("pk"))),
                has_device=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
            )
            .values("is_officer", "has_device")
            .first()
        ) or {"is_officer": False, "has_device": False}
        profile = SecurityProfile(**row)
        cache.set(key, profile, _PROFILE_TIMEOUT)
    return profile


def forget_security_profile(user_id):
    cache.delete(_profile_key(user_id))


def _device_key(persistent_id):
    return f"portal:otp-device:{persistent_id}"


def remember_device(device):
    """Cache the device that verified a session, so a verified request costs no device query."""
    cache.set(_device_key(device.persistent_id), device, _PROFILE_TIMEOUT)


def cached_device(persistent_id, load):
    device = cache.get(_device_key(persistent_id))
    if device is None:
        device = load(persistent_id)
        if device is not None:
            remember_device(device)
    return device


def is_privileged(user):
    """Officers and Alliance staff: they handle public money and every company's data."""
    return bool(user.is_authenticated and (user.is_staff or security_profile(user).is_officer))


def needs_second_factor(user):
    if not user.is_authenticated:
        return False
    if settings.OTP_REQUIRED_FOR_ROLES and is_privileged(user):
        return True
    return security_profile(user).has_device


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def end_sessions(user_id):
    """Delete every session of the user, in the database and in the cache. Returns how many."""
    from portal.sessions import SessionStore

    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    if keys:
        cache.delete_many([SessionStore.cache_key_prefix + key for key in keys])
        UserSession.objects.filter(session_key__in=keys).delete()
        logger.info("Ended %d session(s) of user %s", len(keys), user_id)
    return len(keys)


# --- Signals: sessions follow the account; cached profiles follow roles and devices ---------------


@receiver(post_save, sender=User, dispatch_uid="portal.security.user_saved")
def _user_saved(sender, instance, created, **kwargs):
    forget_security_profile(instance.pk)
    if not created and not instance.is_active:
        end_sessions(instance.pk)


@receiver(pre_delete, sender=User, dispatch_uid="portal.security.user_deleted")
def _user_deleted(sender, instance, **kwargs):
    end_sessions(instance.pk)
    forget_security_profile(instance.pk)


@receiver(post_save, sender=RegionOfficer, dispatch_uid="portal.security.post_saved")
@receiver(post_delete, sender=RegionOfficer, dispatch_uid="portal.security.post_deleted")
@receiver(post_save, sender=TOTPDevice, dispatch_uid="portal.security.device_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="portal.security.device_deleted")
@receiver(post_save, sender=StaticDevice, dispatch_uid="portal.security.recovery_device_saved")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="portal.security.recovery_device_deleted")
def _role_or_device_changed(sender, instance, **kwargs):
    forget_security_profile(instance.user_id)
    if sender is not RegionOfficer:
        cache.delete(_device_key(instance.persistent_id))


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="portal.security.recovery_codes_follow_device")
def _recovery_codes_follow_the_authenticator(sender, instance, **kwargs):
    """Recovery codes stand in for the authenticator: without a confirmed one left, they go too."""
    if not TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists():
        StaticDevice.objects.filter(user_id=instance.user_id).delete()


@receiver(user_logged_in, dispatch_uid="portal.security.logged_in")
def _start_session_clock(sender, request, user, **kwargs):
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now
    if is_privileged(user):
        request.session.set_expiry(settings.SESSION_IDLE_TIMEOUT_PRIVILEGED + settings.SESSION_EXPIRY_GRACE)


@receiver(user_logged_out, dispatch_uid="portal.security.logged_out")
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("User %s logged out", user.pk)


# --- django-axes: what identifies a login attempt ---------------------------------------------------


def login_username(request, credentials):
    """The e-mail typed in the login form, case-folded: `Foo@x.fr` and `foo@x.fr` share one counter."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    # django-axes stores it in a 255-character column: a NUL byte (PostgreSQL refuses it) or an
    # over-long paste would turn a failed login into a server error. No account has such an e-mail.
    return (value or "").replace("\x00", "").strip().lower()[:254] or None


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the entry the trusted proxies appended to X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while an e-mail + address pair is locked out (django-axes' lockout callable).

    It says the same whether or not an account uses the e-mail, and points to the password reset.
    """
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    logger.warning(
        "Login locked out for %d minutes after %d failures from %s (the e-mail is in the admin's access attempts)",
        minutes,
        settings.AXES_FAILURE_LIMIT,
        client_ip(request),
    )
    return render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


# --- TOTP enrolment ----------------------------------------------------------------------------------


def pending_device(user):
    """The unconfirmed device being enrolled (created on first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device


def secret_for_humans(device):
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(data, label):
    """`data` as a QR code in an inline <svg>, drawn here (no external service sees the secret)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    opening = f'<svg class="qr-code" role="img" aria-label="{escape(label)}" width="220" height="220"'
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', lambda _match: opening, svg, count=1)


def current_token(device):
    """The code an authenticator app shows for this device now (tests, the demo)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


# --- Recovery codes ----------------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 12  # 60 random bits; StaticToken holds up to 16 characters
RECOVERY_CODES_LOW = 2  # at or below this many left, the user is urged to generate new ones
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lower case: no 0/1/8/9 to confuse
FRESH_RECOVERY_CODES_KEY = "_portal_fresh_recovery_codes"  # the codes just made, shown once


def recovery_device(user):
    """The user's recovery-code holder (a django-otp StaticDevice), or None."""
    return StaticDevice.objects.filter(user=user).order_by("pk").first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def new_recovery_codes(*, user):
    """Replace every recovery code of the user with `RECOVERY_CODE_COUNT` new ones; returns them.

    The codes are stored as django-otp stores them (StaticToken) and each works once. The caller
    shows them to the user once: they are never displayed again.
    """
    device = StaticDevice.objects.select_for_update().filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.filter(device__user=user).delete()
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH)))
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset(commit=False)
    device.save()
    logger.info("New recovery codes for user %s", user.pk)
    return codes


def normalise_recovery_code(text):
    """What the user typed, as stored: without spaces or dashes, in lower case."""
    return "".join(text.split()).replace("-", "").lower()


def recovery_code_for_humans(code):
    """A stored code in groups of four: `abcd-efgh-ijkl`."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
