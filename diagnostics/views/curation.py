"""The Alliance staff's referential pages (in the portal, not the admin): every version with its
status and dates, the upload of a YAML file with its validation report, what a draft changes from
the published version, and the lifecycle moves (publish, retire). Staff only: anyone else gets 403."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diagnostics import open_referential, rules
from diagnostics.exceptions import ReferentialInvalid
from diagnostics.forms import ReferentialUploadForm
from diagnostics.models.referential import LIFECYCLE
from diagnostics.selectors import curation as selectors
from diagnostics.services import LoadAction
from diagnostics.services.curation import load_uploaded_referential, publish_version, retire_version
from diagnostics.services.referential import referential_problems
from portal.http import allowed, found, reported


def _version(request, pk):
    allowed(rules.can_curate_referentials, request.user)
    return found(selectors.referential_version(pk), _("No referential version has this number."))


@require_http_methods(["GET", "POST"])
def referential_versions(request):
    """Every version with its status and dates, and the form to upload a new one (its problems listed)."""
    allowed(rules.can_curate_referentials, request.user)
    form = ReferentialUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        loaded = None
        with reported(request, form) as outcome:
            try:
                loaded = load_uploaded_referential(upload=form.cleaned_data["file"], by=request.user)
            except ReferentialInvalid as error:
                problems = error.problems  # listed one by one under the form, not as one message
        if outcome.ok and loaded is not None:
            return _after_upload(request, loaded)
    context = {"versions": list(selectors.referential_versions()), "form": form, "problems": problems}
    return render(request, "diagnostics/curation/versions.html", context, status=400 if problems else 200)


def _after_upload(request, loaded):
    names = {"code": loaded.referential.code, "version": loaded.referential.version}
    if loaded.action == LoadAction.ALREADY_LOCKED:
        messages.warning(
            request,
            _("%(code)s %(version)s is already published or retired and cannot change: give the file a new version.")
            % names,
        )
    elif loaded.action == LoadAction.REPLACED_DRAFT:
        messages.success(request, _("The draft %(code)s %(version)s is replaced by the file.") % names)
    else:
        messages.success(
            request, _("The draft %(code)s %(version)s is loaded: check what it changes, then publish it.") % names
        )
    return redirect("diagnostics:referential_version", pk=loaded.referential.pk)


@require_GET
def referential_version(request, pk):
    """One version: its dates and history; for a draft, its remaining problems and what it changes from
    the published version; the moves the lifecycle allows now."""
    referential = _version(request, pk)
    published = selectors.published_counterpart(referential)
    comparison = None
    if published is not None and referential.is_draft:
        comparison = open_referential.compare(
            selectors.version_document(published), selectors.version_document(referential)
        )
    context = {
        "referential": referential,
        "published": published,
        "comparison": comparison,
        "older": published,
        "newer": referential,
        "problems": referential_problems(referential) if referential.is_draft else [],
        "history": selectors.version_history(referential),
        "actions": LIFECYCLE.available_actions(referential, request.user),
    }
    return render(request, "diagnostics/curation/version.html", context)


@require_POST
def referential_publish(request, pk):
    referential = _version(request, pk)
    published = False
    with reported(request) as outcome:
        try:
            publish_version(referential=referential, by=request.user)
            published = True
        except ReferentialInvalid:
            messages.error(
                request, _("This draft is incomplete: fix the problems listed on this page, then publish it.")
            )
    if outcome.ok and published:
        messages.success(
            request,
            _("Version %(version)s is published: new diagnostics start on it.") % {"version": referential.version},
        )
    return redirect("diagnostics:referential_version", pk=referential.pk)


@require_POST
def referential_retire(request, pk):
    referential = _version(request, pk)
    with reported(request) as outcome:
        retire_version(referential=referential, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("Version %(version)s is retired: no new diagnostic starts on it; those made on it stay readable.")
            % {"version": referential.version},
        )
    return redirect("diagnostics:referential_version", pk=referential.pk)
