"""The account's security page and the two-factor pages (enrol an authenticator, type a code or a
recovery code, regenerate the recovery codes)."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import security
from portal.forms import RecoveryCodeForm, TokenForm
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


def _refusal(device, recovery=False):
    """Why the device will not check a code now, or None when it will."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and data.get("locked_until"):
        wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))
        if recovery:
            return _("Too many wrong codes in a row. Wait %(seconds)d seconds, then type your recovery code again.") % {
                "seconds": wait
            }
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


def _check_recovery_code(request, form, device):
    """Validate a recovery code; returns the recovery device that accepted it, or None (errors on the form).

    One throttle for both ways in: the authenticator's. A wrong recovery code counts as a wrong code
    for it (and for the recovery codes' own throttle), and a wait imposed by either applies to both.
    """
    if not form.is_valid():
        return None
    recovery = security.recovery_device(request.user)
    refusal = _refusal(device, recovery=True) or (recovery and _refusal(recovery, recovery=True))
    if refusal:
        form.add_error("recovery_code", refusal)
        return None
    accepted = recovery and verify_token(request.user, recovery.persistent_id, form.cleaned_data["recovery_code"])
    if not accepted:
        device.throttle_increment()
        logger.warning("Wrong recovery code for user %s", request.user.pk)
        form.add_error(
            "recovery_code",
            _(
                "This recovery code is not valid or has already been used. Check it against your saved list (each code works once)."
            ),
        )
        return None
    device.throttle_reset()
    return accepted


def _recovery_codes_message(request):
    """After a recovery code: how many are left, and a nudge to make new ones when few are."""
    left = security.recovery_codes_left(request.user)
    text = ngettext(
        "Recovery code accepted. You have %(count)d recovery code left.",
        "Recovery code accepted. You have %(count)d recovery codes left.",
        left,
    ) % {"count": left}
    if left <= security.RECOVERY_CODES_LOW:
        text += " " + _("Generate new ones now from the Security page of your account.")
        messages.warning(request, text)
    else:
        messages.success(request, text)


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
        request.session[security.FRESH_RECOVERY_CODES_KEY] = security.new_recovery_codes(user=request.user)
        messages.success(
            request, _("Two-factor authentication is on: you will type a code from your app at each login.")
        )
        return redirect(reverse("portal:recovery_codes") + "?" + urlencode({"next": _next_url(request)}))
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
    """Type the code of the authenticator app after the password, or one of the recovery codes."""
    device = security.confirmed_device(request.user)
    if device is None:
        return redirect(_with_query("portal:otp_setup", request))
    if request.user.is_verified():
        return redirect(_next_url(request, default="home"))
    by_recovery = request.method == "POST" and "recovery_code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not by_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if by_recovery else None)
    if by_recovery:  # the cursor goes back to the field the user was typing in
        form.fields["token"].widget.attrs.pop("autofocus", None)
        recovery_form.fields["recovery_code"].widget.attrs["autofocus"] = True
    if by_recovery:
        recovery = _check_recovery_code(request, recovery_form, device)
        if recovery is not None:
            _mark_verified(request, recovery)
            _recovery_codes_message(request)
            return redirect(_next_url(request, default="home"))
    elif request.method == "POST" and _check(request, form, device):
        _mark_verified(request, device)
        return redirect(_next_url(request, default="home"))
    context = {
        "form": form,
        "recovery_form": recovery_form,
        "by_recovery": by_recovery,
        "next": _next_url(request, default="home"),
    }
    return render(request, "otp/verify.html", context)


@require_http_methods(["GET"])
def security_page(request):
    """The account's security: two-factor status (the middleware has checked the second factor)."""
    device = security.confirmed_device(request.user)
    context = {
        "device": device,
        "required": security.is_privileged(request.user),
        "recovery_codes_left": security.recovery_codes_left(request.user) if device else 0,
        "recovery_codes_low": security.RECOVERY_CODES_LOW,
    }
    return render(request, "account/security.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The recovery codes: how many are left, and (POST) a new set replacing them all.

    A new set is shown once, on the page that follows its creation (at enrolment or here), and never
    again. Requires a confirmed authenticator and a session that passed the second factor (the
    middleware sends an unverified one to the code page first).
    """
    if security.confirmed_device(request.user) is None:
        messages.info(request, _("Set up two-factor authentication first: recovery codes come with it."))
        return redirect("portal:security")
    if not request.user.is_verified():  # the middleware already sends them there
        return redirect(_with_query("portal:otp_verify", request))
    if request.method == "POST":
        request.session[security.FRESH_RECOVERY_CODES_KEY] = security.new_recovery_codes(user=request.user)
        messages.success(request, _("New recovery codes have been generated: the previous ones no longer work."))
        return redirect(_with_query("portal:recovery_codes", request))
    fresh = request.session.pop(security.FRESH_RECOVERY_CODES_KEY, None)
    codes = [security.recovery_code_for_humans(code) for code in fresh or ()]
    context = {
        "codes": codes,
        "codes_text": "\n".join(codes),
        "left": security.recovery_codes_left(request.user),
        "low": security.RECOVERY_CODES_LOW,
        "next": _next_url(request),
    }
    return render(request, "otp/recovery_codes.html", context)


@require_POST
def otp_remove(request):
    """Remove the authenticator. Officers and staff will be asked to set up a new one at once."""
    deleted, _details = TOTPDevice.objects.filter(user=request.user).delete()
    if deleted:
        logger.info("User %s removed their authenticator", request.user.pk)
        messages.success(request, _("Your authenticator has been removed."))
    return redirect("portal:security")
