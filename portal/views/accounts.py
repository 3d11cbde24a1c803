from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.i18n import set_language as django_set_language

from portal import selectors, services
from portal.first_steps import first_step_for
from portal.forms import InvitationForm, InvitedAccountForm, SignupForm
from portal.http import allowed, found
from portal.rules import can_export_company_data, can_invite_colleague, has_company
from portal.spaces import spaces_for

set_language = login_not_required(django_set_language)


@login_not_required
def home(request):
    """Anonymous visitors get the presentation; a signed-in user goes to the first space of their role."""
    if not request.user.is_authenticated:
        return render(request, "portal/home.html")
    spaces = spaces_for(request.user)
    if spaces:
        return redirect(spaces[0].url_name)
    return render(request, "portal/no_space.html")


@login_not_required
@require_http_methods(["GET", "HEAD"])
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: the portal's SVG
    icon. A temporary redirect: the icon's static name carries a hash that changes with its content."""
    return redirect(static("img/favicon.svg"))


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    """Registration form. Whatever the address, a valid form ends on "check your mailbox"."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.request_signup(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            company_name=data["company_name"],
            siret=data["siret"],
            naf_division=data["naf_division"],
            headcount_band=data["headcount_band"],
            region=data["region"],
            language=data["language"],
        )
        return redirect("portal:signup_sent")
    return render(request, "portal/signup.html", {"form": form})


@login_not_required
def signup_sent(request):
    return render(request, "portal/signup_sent.html", {"hours": settings.SIGNUP_CONFIRMATION_VALIDITY_HOURS})


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_confirm(request, token):
    """The link of the confirmation e-mail. GET shows a button (mail scanners that follow links must
    not use it up); POST creates the account and the company and logs the owner in."""
    try:
        pending = services.find_usable_signup(token)
    except services.SignupLinkError as error:
        return render(request, "portal/signup_invalid.html", {"reason": error.message}, status=error.http_status)
    if request.method == "POST":
        try:
            user = services.confirm_signup(token)
        except services.SignupLinkError as error:
            return render(request, "portal/signup_invalid.html", {"reason": error.message}, status=error.http_status)
        except services.SignupConflict:
            reason = _(
                "This e-mail address or SIRET has been registered since you asked. Log in, or ask the company's owner to invite you."
            )
            return render(request, "portal/signup_invalid.html", {"reason": reason}, status=409)
        login(request, user, backend="portal.auth.PortalBackend")
        messages.success(
            request, _("Welcome! Your company is registered; you are its owner. Start with your self-diagnostic.")
        )
        return redirect("portal:my_company")
    return render(request, "portal/signup_confirm.html", {"pending": pending})


def my_company(request):
    allowed(has_company, request.user)
    memberships = list(selectors.memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("portal:company_detail", pk=memberships[0].company_id)
    return render(request, "portal/company_list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def company_detail(request, pk):
    company = found(selectors.companies_visible_to(request.user).filter(pk=pk).first())
    can_invite = can_invite_colleague.test(request.user, company)
    form = InvitationForm(request.POST or None, company=company)
    if request.method == "POST":
        allowed(can_invite_colleague, request.user, company)
        if form.is_valid():
            services.invite_colleague(company=company, email=form.cleaned_data["email"], by=request.user)
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("portal:company_detail", pk=company.pk)
    context = {
        "company": company,
        "members": selectors.company_members(company),
        "pending_invitations": company.invitations.filter(accepted_at=None) if can_invite else [],
        "form": form if can_invite else None,
        "can_export_data": can_export_company_data.test(request.user, company),
        "first_step": first_step_for(request.user, company),
    }
    return render(request, "portal/company_detail.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = services.find_usable_invitation(token)
    except services.InvitationError as error:
        return render(request, "portal/invitation_invalid.html", {"reason": str(error)}, status=410)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(token=token, user=request.user)
            except services.InvitationError as error:
                messages.error(request, str(error))
                return redirect("home")
            messages.success(request, _("You have joined %(company)s.") % {"company": invitation.company})
            return redirect("portal:company_detail", pk=invitation.company_id)
        return render(request, "portal/invitation_accept.html", {"invitation": invitation})

    form = (
        None
        if selectors.account_exists(invitation.email)
        else InvitedAccountForm(request.POST or None, invited_email=invitation.email)
    )
    if request.method == "POST" and form is not None and form.is_valid():
        user = services.accept_invitation_with_new_account(
            token=token,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        login(request, user, backend="portal.auth.PortalBackend")
        messages.success(request, _("Welcome! You have joined %(company)s.") % {"company": invitation.company})
        return redirect("portal:company_detail", pk=invitation.company_id)
    return render(request, "portal/invitation_signup.html", {"invitation": invitation, "form": form})
