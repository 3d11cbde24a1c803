"""The public open-data page and files: the latest nightly release, never the live data."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnostics.open_referential import LICENCE_URL
from regions.opendata.release import TABLES, csv_text, latest_release
from regions.opendata.secrecy import DOMINANCE, MIN_COMPANIES


@login_not_required
@require_GET
def open_data(request):
    """What is published, under which rules, and the links to the files."""
    release = latest_release()
    context = {
        "release": release,
        "tables": [(table, release.document["tables"].get(table.name)) for table in TABLES] if release else [],
        "min_companies": MIN_COMPANIES,
        "dominance": round(DOMINANCE * 100),
        "licence_url": LICENCE_URL,
    }
    return render(request, "regions/open_data.html", context)


@login_not_required
@require_GET
def open_data_file(request, fmt):
    """The latest release as JSON or CSV (404 before the first release)."""
    release = latest_release()
    if release is None:
        raise Http404(_("No open data has been published yet."))
    filename = f"industrie-du-futur-agregats-{release.published_at:%Y-%m-%d}.{fmt}"
    if fmt == "json":
        response = JsonResponse(release.document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(csv_text(release.document), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
