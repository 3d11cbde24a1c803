"""The public directory of referenced experts and their profile pages (no login needed).

Anonymous visitors never see an expert's day rate or e-mail address (`rules.can_see_private_details`).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from experts import selectors
from experts.filters import DirectoryFilter
from experts.rules import can_follow_assignments, can_manage_accreditations, can_see_private_details
from portal.http import found

PAGE_SIZE = 20


@login_not_required
@require_GET
def directory(request):
    """Referenced experts, filtered and paginated; a fixed number of queries whatever their number."""
    filterset = DirectoryFilter(request.GET or None, queryset=selectors.directory_experts())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.label_skills(page, dict(filterset.filters["axis"].extra["choices"]))
    # The filters' form (its dropdowns of regions, axes and themes, rendered by crispy) is cached per
    # version of the labels, language and the filters' values as sent.
    filters = sorted((name, value) for name, value in request.GET.items() if name in filterset.filters)
    return render(
        request,
        "experts/directory.html",
        {
            "filter": filterset,
            "filters_key": f"{selectors.directory_labels_key()}:{urlencode(filters)}",
            "filters_seconds": selectors.DIRECTORY_LABELS_SECONDS,
            "page": page,
            "show_private": can_see_private_details.test(request.user, None),
            "can_follow": can_follow_assignments.test(request.user),
            "can_manage": can_manage_accreditations.test(request.user),
        },
    )


@login_not_required
@require_GET
def profile(request, pk):
    """One expert's public profile; a non-referenced expert's only for staff and the expert. Else 404."""
    expert = found(selectors.directory_profile(request.user, pk), _("No referenced expert has this number."))
    selectors.label_skills([expert], selectors.axis_titles())
    return render(
        request,
        "experts/profile.html",
        {
            "expert": expert,
            "show_private": can_see_private_details.test(request.user, expert),
            "is_own_profile": request.user.is_authenticated and expert.user_id == request.user.pk,
        },
    )
