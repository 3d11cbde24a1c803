"""The application file: the company's members add documents; they, the region's officers and staff
download them through this permission-checked view (never a public address)."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.http import allowed, found, reported
from portal.storage import StoredFileMissing, download_response
from regions import selectors, services
from regions.forms import DocumentForm
from regions.rules import can_edit_application, can_read_application_file
from regions.views.officer import enrolment_page

logger = logging.getLogger(__name__)


@require_POST
def document_add(request, pk):
    """A member of the company adds a document to its application (applied, or sent back for changes)."""
    enrolment = found(selectors.enrolment_detail(request.user, pk))
    allowed(can_edit_application, request.user, enrolment)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return enrolment_page(request, enrolment, status=400, document_form=form)
    with reported(request) as outcome:
        document = services.add_document(
            enrolment=enrolment, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
        )
    if outcome.ok:
        messages.success(request, _("Document “%(name)s” added to the application.") % {"name": document.original_name})
    return redirect("regions:enrolment_detail", pk=pk)


@require_GET
def document_download(request, pk):
    document = found(selectors.visible_document(request.user, pk))
    allowed(can_read_application_file, request.user, document.enrolment)
    try:
        return download_response(
            document.file.storage,
            document.file.name,
            filename=document.original_name,
            content_type=document.content_type,
        )
    except StoredFileMissing:
        logger.error("document %s: its file %s is missing from the storage", document.pk, document.file.name)
        return render(request, "regions/document_missing.html", {"document": document}, status=404)
