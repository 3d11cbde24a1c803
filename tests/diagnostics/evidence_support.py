"""Small real documents for the evidence tests: each starts (or is zipped) as its format says."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from diagnostics import services
from tests.diagnostics.factories import DiagnosticFactory, answer_all

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."


def _zip(entries, *, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            name, data = stored_first
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def office(main_part):
    return _zip({"[Content_Types].xml": "<Types/>", main_part: "<document/>"})


def opendocument(mimetype):
    return _zip({"content.xml": "<office:document-content/>"}, stored_first=("mimetype", mimetype))


DOCX = office("word/document.xml")
XLSX = office("xl/workbook.xml")
PPTX = office("ppt/presentation.xml")
ODT = opendocument("application/vnd.oasis.opendocument.text")
ODS = opendocument("application/vnd.oasis.opendocument.spreadsheet")
A_PLAIN_ZIP = _zip({"notes.txt": "bonjour"})


def upload(data, name="preuve.pdf", content_type="application/pdf"):
    """An uploaded file whose declared name and type say nothing true about its content."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def draft_with_answers(company, owner, referential, level=2):
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=level, by=owner)
    return diagnostic


def first_question(diagnostic):
    return diagnostic.referential.questions.order_by("pk").first()


def attach_file(diagnostic, by, data=PDF, name="audit.pdf", question=None):
    return services.attach_evidence_file(
        diagnostic=diagnostic, question=question or first_question(diagnostic), upload=upload(data, name), by=by
    )
