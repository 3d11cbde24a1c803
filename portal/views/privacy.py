"""GDPR pages: the privacy notice (public), a company's data page, its export and its closure.

The company pages are for the company's members only: anyone else gets a 404 (staff included: the
export and the closure are the company's rights, not the Alliance's). Closing is for owners (403
for other members).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.errors import ClosureRefused
from portal.http import allowed, found
from portal.privacy.closure import close_company
from portal.privacy.export import build_company_export, export_file_name
from portal.privacy.forms import CloseCompanyForm
from portal.privacy.selectors import companies_of_member
from portal.rules import can_close_company, can_export_company_data


@login_not_required
@require_GET
def privacy_notice(request):
    context = {
        "draft_days": settings.RETENTION_DRAFT_DAYS,
        "invitation_days": settings.INVITATION_VALIDITY_DAYS,
        "invitation_retention_days": settings.RETENTION_EXPIRED_INVITATION_DAYS,
        "signup_hours": settings.SIGNUP_CONFIRMATION_VALIDITY_HOURS,
        "signup_retention_days": settings.RETENTION_EXPIRED_SIGNUP_DAYS,
        "session_hours": settings.SESSION_ABSOLUTE_LIFETIME // 3600,
    }
    return render(request, "portal/privacy.html", context)


def _member_company(request, pk):
    return found(companies_of_member(request.user).filter(pk=pk).first())


@require_GET
def company_data(request, pk):
    company = _member_company(request, pk)
    context = {"company": company, "can_close": can_close_company.test(request.user, company)}
    return render(request, "portal/privacy_company.html", context)


@require_POST
def company_export(request, pk):
    company = _member_company(request, pk)
    allowed(can_export_company_data, request.user, company)
    archive = build_company_export(company=company, by=request.user)
    return FileResponse(archive, as_attachment=True, filename=export_file_name(company), content_type="application/zip")


@require_http_methods(["GET", "POST"])
def company_close(request, pk):
    company = _member_company(request, pk)
    allowed(can_close_company, request.user, company)
    form = CloseCompanyForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            close_company(company=company, by=request.user, confirmation=form.cleaned_data["confirmation"])
        except ClosureRefused as error:
            form.add_error("confirmation", error.message)
        else:
            request.user.refresh_from_db()
            if not request.user.is_active:
                logout(request)
            messages.success(
                request,
                _("The company's account is closed: its members' personal data have been erased."),
            )
            return redirect("home")
    return render(request, "portal/privacy_close.html", {"company": company, "form": form})
