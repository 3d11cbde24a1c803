"""Sharing scope of a diagnostic and the company's "who viewed my diagnostic" page.

- `share_with_region` (POST): a member lets the officers of the company's region see a submitted
  diagnostic, or stops it. Not visible: 404; visible but not a member (staff, officer, expert): 403.
- `company_access_log`, `diagnostic_access_log`: who outside the company opened its diagnostics,
  for the company's members only (404 for everyone else, Alliance staff included).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnostics import rules, selectors, services
from portal.http import allowed, found

PAGE_SIZE = 25


@require_POST
def share_with_region(request, pk):
    """Turn the region's officers' access on (`shared=1`) or off (`shared=0`), then back to the results."""
    diagnostic = found(selectors.visible_diagnostic(request.user, pk), _("No diagnostic you may see has this number."))
    allowed(
        rules.can_share_diagnostic,
        request.user,
        diagnostic,
        message=_("Only the company's members may choose who sees its diagnostic."),
    )
    shared = request.POST.get("shared") == "1"
    try:
        services.set_region_sharing(diagnostic=diagnostic, shared=shared, by=request.user)
    except services.SharingRefused as error:
        messages.error(request, str(error))
        return redirect("diagnostics:detail", pk=diagnostic.pk)
    region = diagnostic.company.region
    if shared:
        messages.success(
            request,
            _(
                "The officers of %(region)s can now see this diagnostic and its report. You can stop sharing at any time."
            )
            % {"region": region},
        )
    else:
        messages.success(
            request,
            _(
                "The officers of %(region)s no longer see this diagnostic, unless your company applied to one of "
                "their programmes."
            )
            % {"region": region},
        )
    return redirect("diagnostics:results", pk=diagnostic.pk)


def _render_log(request, *, company, diagnostic=None):
    page = Paginator(selectors.access_log(company=company, diagnostic=diagnostic), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"company": company, "diagnostic": diagnostic, "page": page, "accesses": page.object_list}
    return render(request, "diagnostics/access_log.html", context)


@require_GET
def company_access_log(request, company_pk):
    """Who outside the company opened any of its diagnostics, latest first, paginated."""
    company = found(selectors.company_of_member(request.user, company_pk), _("No company of yours has this number."))
    return _render_log(request, company=company)


@require_GET
def diagnostic_access_log(request, pk):
    """Who outside the company opened this diagnostic, latest first, paginated."""
    diagnostic = selectors.visible_diagnostic(request.user, pk)
    if diagnostic is not None and not rules.is_diagnostic_company_member.test(request.user, diagnostic):
        diagnostic = None  # the log is the company's: anyone else is told it does not exist
    found(diagnostic, _("No diagnostic of your company has this number."))
    return _render_log(request, company=diagnostic.company, diagnostic=diagnostic)
