"""Company members' pages: the programmes open to their company, applying, their applications."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import allowed, found, reported
from regions import selectors, services
from regions.eligibility import eligibility
from regions.forms import ApplicationForm
from regions.models import Enrolment
from regions.rules import can_apply, can_view_company_programmes


def _companies(request):
    allowed(can_view_company_programmes, request.user)
    companies = list(selectors.companies_of(request.user))
    if not companies:
        raise PermissionDenied
    return companies


@require_GET
def company_programmes(request):
    """The open programmes of each of the user's companies' regions, with why the company may not apply."""
    companies = _companies(request)
    offers = [(company, selectors.programmes_for_company(company)) for company in companies]
    return render(request, "regions/company_programmes.html", {"offers": offers})


def _chosen_company(request, companies):
    if len(companies) == 1:
        return companies[0]
    wanted = request.POST.get("company") or request.GET.get("entreprise")
    company = next((c for c in companies if str(c.pk) == str(wanted)), None)
    return found(company)


@require_http_methods(["GET", "POST"])
def apply(request, pk):
    companies = _companies(request)
    company = _chosen_company(request, companies)
    allowed(can_apply, request.user, company)
    programme = found(selectors.open_programme_for_company(company, pk))
    latest = selectors.latest_submitted(company)
    has_live = Enrolment.objects.filter(programme=programme, company=company, status__in=Enrolment.LIVE).exists()
    verdict = eligibility(programme, company, latest_diagnostic=latest, has_live_enrolment=has_live)
    form = None
    if verdict.eligible:
        form = ApplicationForm(
            request.POST or None, programme=programme, diagnostics=selectors.submitted_diagnostics_of(company)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with reported(request, form) as outcome:
                enrolment = services.apply_to_programme(
                    programme=programme,
                    company=company,
                    requested_amount=data["requested_amount"],
                    motivation=data["motivation"],
                    diagnostic=data["diagnostic"],
                    eligible_cost=data["eligible_cost"],
                    declared_outside_aid=data["declared_outside_aid"],
                    by=request.user,
                )
            if outcome.ok:
                messages.success(request, _("Your application is sent. The region will review it."))
                return redirect("regions:enrolment_detail", pk=enrolment.pk)
    elif request.method == "POST":
        messages.error(request, " ".join(verdict.reasons))
    context = {
        "programme": programme,
        "company": company,
        "eligibility": verdict,
        "form": form,
        "several": len(companies) > 1,
    }
    return render(request, "regions/apply.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def my_applications(request):
    _companies(request)
    return render(request, "regions/my_applications.html", {"applications": selectors.applications_of(request.user)})
