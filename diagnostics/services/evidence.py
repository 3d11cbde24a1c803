"""Evidence on answers: the company's members attach files or links while the diagnostic is a draft.

Every check runs before anything is stored, each refusal an `InvalidEvidence` with its own message:
the size (`EVIDENCE_MAX_BYTES`, checked before the file is read), the type (told by the content,
`portal.file_types`, never by the name), the count per answer (`EVIDENCE_MAX_PER_ANSWER`), and for
links, a web address (http or https; `javascript:`, `data:`, `file:`… are refused). The diagnostic row
is locked while checking, so two members adding at once cannot pass the count limit together. A file
removed with its row (here, or with its draft or its company's data) is deleted from the storage once
the removal is committed (`diagnostics.privacy`).

A re-assessment started from the previous answers carries their evidence too (`copy_evidence`).
"""

import logging
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diagnostics.exceptions import DiagnosticNotDraft, InvalidAnswer, InvalidEvidence
from diagnostics.models import Answer, Diagnostic, Evidence
from diagnostics.models.evidence import evidence_file_name
from portal.file_limits import FileRejected, read_limited
from portal.file_types import document_type

logger = logging.getLogger(__name__)
FILENAME_MAX_LENGTH = Evidence._meta.get_field("filename").max_length
TITLE_MAX_LENGTH = Evidence._meta.get_field("title").max_length
URL_MAX_LENGTH = Evidence._meta.get_field("url").max_length
WEB_LINK = URLValidator(schemes=["http", "https"])


def _locked_draft(diagnostic, question):
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if row.status != Diagnostic.Status.DRAFT:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its evidence can no longer change."))
    if question.referential_id != row.referential_id:
        raise InvalidAnswer(_("This question does not belong to this diagnostic's referential version."))
    return row


def _answer_with_room(diagnostic, question, by):
    """The answer evidence is attached to (an empty one is started when the question has none yet),
    refused when it already carries as many pieces as allowed."""
    answer, _created = Answer.objects.get_or_create(
        diagnostic=diagnostic, question=question, defaults={"answered_by": by, "answered_at": timezone.now()}
    )
    limit = settings.EVIDENCE_MAX_PER_ANSWER
    if answer.evidence.count() >= limit:
        raise InvalidEvidence(
            ngettext(
                "This answer already has %(count)s piece of evidence, the most allowed: remove it before adding another.",
                "This answer already has %(count)s pieces of evidence, the most allowed: remove one before adding another.",
                limit,
            )
            % {"count": limit}
        )
    return answer


def _file_bytes(upload):
    limit = settings.EVIDENCE_MAX_BYTES
    try:
        data = read_limited(upload, max_bytes=limit)
    except FileRejected:
        raise InvalidEvidence(
            _("The file is too large: evidence files are accepted up to %(limit)s.") % {"limit": filesizeformat(limit)}
        ) from None
    if not data:
        raise InvalidEvidence(_("The file is empty."))
    return data


def _display_name(name, extension):
    """The user's file name, made safe, with the extension of what the file really is."""
    stem = os.path.splitext(os.path.basename(name or ""))[0]
    stem = get_valid_filename(stem)[: FILENAME_MAX_LENGTH - len(extension) - 1] if stem.strip("._-") else ""
    return f"{stem or _('evidence')}.{extension}"


@transaction.atomic
def attach_evidence_file(*, diagnostic, question, upload, by):
    """Attach the uploaded file to the company's answer to `question`; returns the `Evidence`."""
    row = _locked_draft(diagnostic, question)
    answer = _answer_with_room(row, question, by)
    data = _file_bytes(upload)
    kind = document_type(data)
    if kind is None:
        raise InvalidEvidence(
            _(
                "This file type is not accepted (its content was checked, not its name): send a PDF, "
                "a PNG or JPEG image, or a Word, Excel, PowerPoint, OpenDocument text or spreadsheet file."
            )
        )
    evidence = Evidence(
        answer=answer,
        kind=Evidence.Kind.FILE,
        filename=_display_name(getattr(upload, "name", ""), kind.extension),
        content_type=kind.content_type,
        size=len(data),
        added_by=by,
    )
    # Every check passed: the file is written last, just before its row.
    evidence.file.save(evidence_file_name(row.pk, kind.extension), ContentFile(data), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def clean_link(url):
    """The web address `url` stripped, or `InvalidEvidence` unless it is an http(s) address."""
    url = (url or "").strip()
    if not url:
        raise InvalidEvidence(_("Give the link's address."))
    if len(url) > URL_MAX_LENGTH:
        raise InvalidEvidence(_("The link is too long (%(max)s characters at most).") % {"max": URL_MAX_LENGTH})
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise InvalidEvidence(_("Only web links are accepted: the address must start with http:// or https://."))
    try:
        WEB_LINK(url)
    except ValidationError:
        raise InvalidEvidence(_("This is not a valid web address.")) from None
    return url


@transaction.atomic
def attach_evidence_link(*, diagnostic, question, url, title="", by):
    """Attach a link (http or https) to the company's answer to `question`; returns the `Evidence`."""
    url = clean_link(url)
    title = (title or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        raise InvalidEvidence(_("The title is too long (%(max)s characters at most).") % {"max": TITLE_MAX_LENGTH})
    row = _locked_draft(diagnostic, question)
    answer = _answer_with_room(row, question, by)
    return Evidence.objects.create(answer=answer, kind=Evidence.Kind.LINK, url=url, title=title, added_by=by)


@transaction.atomic
def remove_evidence(*, evidence, by):
    """Remove a piece of evidence while its diagnostic is a draft; its file leaves the storage after commit.
    Returns the removed `Evidence` (without its primary key)."""
    answer = evidence.answer
    _locked_draft(answer.diagnostic, answer.question)
    evidence.delete()  # its file leaves the storage after commit (diagnostics.privacy's post_delete)
    return evidence


def copy_evidence(*, source, target):
    """Carry the evidence of `source`'s answers over to `target`'s answers to the questions with the same
    code (a re-assessment started from the previous answers, which `target` already holds): links as they
    are, files copied through the storage under fresh keys of `target`, so that each diagnostic owns its
    files and removing one from the draft never touches the submitted diagnostic's (a removed row deletes
    its file). At most `EVIDENCE_MAX_PER_ANSWER` per answer, the oldest first; a file missing from the
    storage is left out (and logged). Who added each piece is kept. Returns the new `Evidence` rows."""
    answers = {answer.question.code: answer for answer in target.answers.select_related("question")}
    limit = settings.EVIDENCE_MAX_PER_ANSWER
    counts, copies = {}, []
    items = Evidence.objects.filter(answer__diagnostic=source).select_related("answer__question")
    try:
        for item in items.order_by("added_at", "pk"):
            answer = answers.get(item.answer.question.code)
            if answer is None or counts.get(answer.pk, 0) >= limit:
                continue
            copy = Evidence(
                answer=answer,
                kind=item.kind,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                url=item.url,
                title=item.title,
                added_by_id=item.added_by_id,
            )
            if item.is_file and not _copy_file(item, copy, target):
                continue
            counts[answer.pk] = counts.get(answer.pk, 0) + 1
            copies.append(copy)
        return Evidence.objects.bulk_create(copies)
    except Exception:
        for copy in copies:
            if copy.file:
                copy.file.storage.delete(copy.file.name)
        raise


def _copy_file(item, copy, target):
    """Write `item`'s file again under a key of `target` (on `copy`); False if it is no longer stored."""
    storage = item.file.storage
    try:
        with storage.open(item.file.name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        logger.error("evidence %s points at %s, missing from the storage: not carried over", item.pk, item.file.name)
        return False
    extension = os.path.splitext(item.file.name)[1].lstrip(".") or "bin"
    copy.file.save(evidence_file_name(target.pk, extension), ContentFile(data), save=False)
    return True
