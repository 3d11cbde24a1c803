from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnostics import open_referential
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


@login_not_required
@require_GET
def referential_download(request, code, version, fmt):
    """A published or retired version as a file (YAML, JSON or XLSX), under the Licence Ouverte 2.0."""
    document = found(
        selectors.public_referential_document(code, version),
        _("No published version of the referential matches this address."),
    )
    response = HttpResponse(open_referential.RENDERERS[fmt](document), content_type=open_referential.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{open_referential.filename(document, fmt)}"'
    response["Link"] = f'<{open_referential.LICENCE_URL}>; rel="license"'
    return response


def _chosen(request, name, versions, default):
    wanted = request.GET.get(name)
    return next((item for item in versions if item.version == wanted), default)


@login_not_required
@require_GET
def referential_compare(request):
    """What changed between two published or retired versions (`?de=` the older, `?a=` the newer)."""
    versions = list(selectors.public_versions())
    comparison = older = newer = None
    if versions:
        newer = _chosen(request, "a", versions, versions[0])
        older = _chosen(request, "de", versions, versions[1] if len(versions) > 1 else versions[0])
        comparison = open_referential.compare(
            selectors.public_referential_document(older.code, older.version),
            selectors.public_referential_document(newer.code, newer.version),
        )
    context = {"versions": versions, "older": older, "newer": newer, "comparison": comparison}
    return render(request, "diagnostics/referential_compare.html", context)
