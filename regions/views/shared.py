"""Officers' list of the diagnostics companies of their region chose to share with them."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.http import allowed
from portal.rules import is_region_officer
from regions import selectors

PAGE_SIZE = 25


@require_GET
def shared_diagnostics(request):
    """Before any application, a company may share a diagnostic with its region's officers: this is
    where they find them, with a mark on the companies that have not applied yet."""
    allowed(is_region_officer, request.user)
    page = Paginator(selectors.diagnostics_shared_with_region(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "regions/shared_diagnostics.html", {"page": page})
