"""Account-security middleware: session lifetimes and the second factor of officers and staff."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.middleware import OTPMiddleware

from portal.security import (
    ACTIVITY_WRITE_INTERVAL,
    LAST_ACTIVITY_KEY,
    SESSION_STARTED_KEY,
    cached_device,
    is_privileged,
    needs_second_factor,
    security_profile,
)

logger = logging.getLogger("portal.security")


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware (sets `request.user.is_verified()`), reading the session's device from
    the cache: a verified officer's request costs no device query. Saving or deleting a device drops
    its cache entry (portal.security), so a removed authenticator stops counting at once."""

    def _device_from_persistent_id(self, persistent_id):
        return cached_device(persistent_id, super()._device_from_persistent_id)


class SessionLifetimeMiddleware:
    """Ends a session past its absolute lifetime, or an officer's or staff's one left idle too long.

    Every session lives at most `SESSION_ABSOLUTE_LIFETIME` seconds from its login. Officers' and
    staff's sessions also end after `SESSION_IDLE_TIMEOUT_PRIVILEGED` seconds without a request: the
    last-activity time is renewed as they work (at most once a minute, to spare writes) and checked
    here. Cookies and rows expire `SESSION_EXPIRY_GRACE` later, so the user is told why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self._expired(request, user):
            logger.info("Session of user %s expired", user.pk)
            logout(request)
            messages.info(request, _("Your session has expired. Please log in again."))
        return self.get_response(request)

    @staticmethod
    def _expired(request, user):
        session = request.session
        now = time.time()
        started = session.get(SESSION_STARTED_KEY)
        if started is None:  # a session opened before this rule: its clock starts now
            session[SESSION_STARTED_KEY] = started = now
        if now - started > settings.SESSION_ABSOLUTE_LIFETIME:
            return True
        if is_privileged(user):
            idle = settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
            last = session.get(LAST_ACTIVITY_KEY, started)
            if now - last > idle:
                return True
            expiry = idle + settings.SESSION_EXPIRY_GRACE
            if now - last >= ACTIVITY_WRITE_INTERVAL or session.get("_session_expiry") != expiry:
                session[LAST_ACTIVITY_KEY] = now
                session.set_expiry(expiry)
        return False


def second_factor_exempt(view_func):
    """Mark a view an unverified user may reach: the second-factor pages themselves."""
    view_func.second_factor_exempt = True
    return view_func


# Django's own views that must stay reachable before the second factor.
EXEMPT_VIEW_NAMES = {"logout"}


class SecondFactorMiddleware:
    """Sends a user who must use a second factor and has not yet, to enrol or to type a code.

    Applies to every page that is not public (public pages, `login_not_required`, are what an
    anonymous visitor sees anyway). Who must: officers and staff when `OTP_REQUIRED_FOR_ROLES` is on,
    and anyone who enrolled an authenticator. Must run after django-otp's OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True) or getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEW_NAMES:
            return None
        if not needs_second_factor(user) or user.is_verified():
            return None
        target = "portal:otp_verify" if security_profile(user).has_device else "portal:otp_setup"
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
