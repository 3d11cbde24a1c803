"""What a document really is, read from its first bytes rather than from its name or the browser's
word: PDF, PNG, JPEG, WebP, or an office document (Word, Excel, PowerPoint in Office Open XML;
OpenDocument text, spreadsheet, presentation). Anything else is refused.

`document_type(data)` returns a `DocumentType` (content type, extension) or raises `FileRejected`.
Office documents are ZIP archives: the archive's table of contents is read (never its content
decompressed) to tell which kind it is.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.file_limits import FileRejected


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str


PDF = DocumentType("application/pdf", "pdf")
PNG = DocumentType("image/png", "png")
JPEG = DocumentType("image/jpeg", "jpg")
WEBP = DocumentType("image/webp", "webp")
# Office Open XML: the folder of the main part inside the archive.
OOXML = {
    "word/": DocumentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": DocumentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": DocumentType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# OpenDocument: the archive's `mimetype` entry.
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def _office_type(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype in ODF:
                        return DocumentType(mimetype, ODF[mimetype])
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError):
        return None
    return None


def document_type(data):
    """The type of the document `data` (bytes), or FileRejected when it is none of those accepted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        kind = _office_type(data)
        if kind is not None:
            return kind
    raise FileRejected(
        _("this file is not a PDF, an image (PNG, JPEG, WebP) or an office document (Word, Excel, OpenDocument)")
    )
