from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnostics.selectors import referential as selectors
from portal.http import found


@login_not_required
@require_GET
def referential(request):
    """The public presentation of the referential: the current published version, or `?version=` (published or retired)."""
    version = (request.GET.get("version") or "").replace("\x00", "") or None  # PostgreSQL refuses NUL
    referential = found(
        selectors.public_referential(version=version),
        _("No published version of the referential matches this address."),
    )
    context = {
        "referential": referential,
        "current": selectors.current_published_referential(referential.code),
        "versions": selectors.public_versions(referential.code),
    }
    return render(request, "diagnostics/referential.html", context)
