"""The account's security page and the two-factor pages (enrol an authenticator, type a code)."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import security
from portal.forms import TokenForm
from portal.middleware import second_factor_exempt

logger = logging.getLogger("portal.security")


def _next_url(request, default="portal:security"):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _with_query(url_name, request):
    query = request.GET.urlencode()
    return reverse(url_name) + (f"?{query}" if query else "")


def _refusal(device):
    """Why the device will not check a code now, or None when it will."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and data.get("locked_until"):
        wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
        return _("Too many wrong codes in a row. Wait %(seconds)d seconds, then type the code shown now.") % {
            "seconds": wait
        }
    return _("Codes cannot be checked for this authenticator now. Try again in a moment.")


def _check(request, form, device):
    """Validate the form and the code against the device; errors go on the form."""
    if not form.is_valid():
        return False
    refusal = _refusal(device)
    if refusal:
        form.add_error("token", refusal)
        return False
    if not device.verify_token(form.cleaned_data["token"]):
        logger.warning("Wrong second-factor code for user %s", request.user.pk)
        form.add_error(
            "token",
            _(
                "This code is not the right one. Type the code your app shows now; if it still fails, check that your phone's clock is set automatically."
            ),
        )
        return False
    return True


def _mark_verified(request, device):
    request.session.cycle_key()  # a new session key once the second factor is proven
    otp_login(request, device)
    security.remember_device(device)
    logger.info("User %s passed the second factor", request.user.pk)


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then type a code to confirm."""
    if security.confirmed_device(request.user) is not None:
        if not request.user.is_verified():
            return redirect(_with_query("portal:otp_verify", request))
        messages.info(request, _("An authenticator is already set up for your account. Remove it to set up another."))
        return redirect("portal:security")
    device = security.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        _mark_verified(request, device)
        messages.success(
            request, _("Two-factor authentication is on: you will type a code from your app at each login.")
        )
        return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_code": security.qr_code_svg(device.config_url, _("QR code to scan with your authenticator app")),
        "secret": security.secret_for_humans(device),
        "required": security.is_privileged(request.user),
        "next": _next_url(request, default="home"),
    }
    return render(request, "otp/setup.html", context)


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Type the code of the authenticator app after the password."""
    device = security.confirmed_device(request.user)
    if device is None:
        return redirect(_with_query("portal:otp_setup", request))
    if request.user.is_verified():
        return redirect(_next_url(request, default="home"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, form, device):
        _mark_verified(request, device)
        return redirect(_next_url(request, default="home"))
    return render(request, "otp/verify.html", {"form": form, "next": _next_url(request, default="home")})


@require_http_methods(["GET"])
def security_page(request):
    """The account's security: two-factor status (the middleware has checked the second factor)."""
    device = security.confirmed_device(request.user)
    context = {
        "device": device,
        "required": security.is_privileged(request.user),
    }
    return render(request, "account/security.html", context)


@require_POST
def otp_remove(request):
    """Remove the authenticator. Officers and staff will be asked to set up a new one at once."""
    deleted, _details = TOTPDevice.objects.filter(user=request.user).delete()
    if deleted:
        logger.info("User %s removed their authenticator", request.user.pk)
        messages.success(request, _("Your authenticator has been removed."))
    return redirect("portal:security")
