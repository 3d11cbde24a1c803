"""The application file: a company's member adds a document to its application.

The file is refused before anything is stored when it is too large (APPLICATION_DOCUMENT_MAX_BYTES,
checked before it is read), not a PDF, an image or an office document by its content
(`portal.file_types`), or one too many (APPLICATION_DOCUMENTS_MAX_COUNT); the application must be
open to changes (applied, or sent back for changes). The bytes go to the default storage under a name
made of their SHA-256; the row and its audit entry are written under the enrolment's lock.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import audit
from portal.file_limits import FileRejected, read_limited
from portal.file_types import document_type
from portal.storage import STORAGE_ERRORS
from regions.exceptions import DocumentRefused, InvalidInput
from regions.models import Enrolment, EnrolmentDocument
from regions.models.documents import document_storage
from regions.services.ledger import lock_enrolment, lock_programme

logger = logging.getLogger(__name__)


def checked_file(upload):
    try:
        data = read_limited(upload, max_bytes=settings.APPLICATION_DOCUMENT_MAX_BYTES)
        if not data:
            raise FileRejected(_("the file is empty"))
        kind = document_type(data)
        if kind is None:
            raise FileRejected(
                _(
                    "this file is not a PDF, an image (PNG, JPEG, WebP) or an office document (Word, Excel, OpenDocument)"
                )
            )
        return data, kind
    except FileRejected as error:
        raise DocumentRefused(_("This document is refused: %(reason)s.") % {"reason": error.message}) from None


def display_name(upload, extension):
    name = get_valid_filename((getattr(upload, "name", "") or "").rsplit("/", 1)[-1])[:150]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'document'}.{extension}"


@transaction.atomic
def add_document(*, enrolment, kind, upload, by):
    """Attach `upload` (a file object) of `kind` to the application; return the document row."""
    if kind not in EnrolmentDocument.Kind.values:
        raise InvalidInput(_("Choose the kind of document."))
    data, file_type = checked_file(upload)
    programme = lock_programme(enrolment.programme_id)  # the order of locks of every service: programme, then enrolment
    current = lock_enrolment(enrolment.pk)
    if current.status not in Enrolment.OPEN_FILE:
        raise DocumentRefused(
            _(
                "Documents can be added only while the application is applied or sent back for changes; it is %(status)s."
            )
            % {"status": current.get_status_display()}
        )
    limit = settings.APPLICATION_DOCUMENTS_MAX_COUNT
    if EnrolmentDocument.objects.filter(enrolment=current).count() >= limit:
        raise DocumentRefused(
            ngettext(
                "An application holds at most %(count)d document.",
                "An application holds at most %(count)d documents.",
                limit,
            )
            % {"count": limit}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        # Written before the row: a transaction rolled back afterwards leaves an unreferenced object,
        # never a row pointing at nothing.
        name = document_storage().save(f"applications/{current.pk}/{sha256}.{file_type.extension}", ContentFile(data))
    except STORAGE_ERRORS as error:
        logger.error("storing a document of enrolment %s failed: %s", current.pk, error)
        raise DocumentRefused(_("The document could not be stored; try again in a few minutes.")) from error
    document = EnrolmentDocument.objects.create(
        enrolment=current,
        kind=kind,
        file=name,
        original_name=display_name(upload, file_type.extension),
        content_type=file_type.content_type,
        size=len(data),
        sha256=sha256,
        uploaded_by=by,
    )
    audit.record(
        action="enrolment.document_added",
        subject=document,
        by=by,
        after={
            "enrolment": current.pk,
            "kind": kind,
            "name": document.original_name,
            "sha256": sha256,
            "size": len(data),
        },
        region=programme.region_id,
    )
    return document
