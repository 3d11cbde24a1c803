"""What a file is, told by its content (its first bytes, or its zip directory), never by its name.

A file called "rapport.pdf" may hold anything; browsers and office software trust what the bytes
say. `document_type` recognises the documents the portal accepts (evidence on answers, application
files): PDF, PNG, JPEG and WebP images, Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods,
odp) files; each use decides which of them it takes. Office formats are zip
archives: only their directory (and the few bytes of an OpenDocument's `mimetype` entry) is read,
never the compressed content, so a zip bomb costs nothing here.
"""

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str


PDF = DocumentType("pdf", "application/pdf")
PNG = DocumentType("png", "image/png")
JPEG = DocumentType("jpg", "image/jpeg")
WEBP = DocumentType("webp", "image/webp")
DOCX = DocumentType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = DocumentType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = DocumentType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = DocumentType("odt", "application/vnd.oasis.opendocument.text")
ODS = DocumentType("ods", "application/vnd.oasis.opendocument.spreadsheet")
ODP = DocumentType("odp", "application/vnd.oasis.opendocument.presentation")

ACCEPTED = (PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP)

_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# The part each Office Open XML format must hold (ECMA-376), beside [Content_Types].xml.
_OFFICE_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_OPENDOCUMENT = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
# An OpenDocument's `mimetype` entry is its first, stored uncompressed; a longer one is no OpenDocument.
_MIMETYPE_MAX_BYTES = 100


def document_type(data):
    """The `DocumentType` of the bytes `data` if they are an accepted document, else None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _zip_document_type(data)
    return None


def _zip_document_type(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                entry = archive.getinfo("mimetype")
                if entry.file_size > _MIMETYPE_MAX_BYTES or entry.compress_type != zipfile.ZIP_STORED:
                    return None
                return _OPENDOCUMENT.get(archive.read(entry).decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in _OFFICE_MAIN_PARTS if part in names), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    return None
