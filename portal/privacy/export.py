"""The export of a company's data: one zip with a JSON file per app and the files they hold (PDF reports)."""

import json
import tempfile
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from portal.privacy import company_data_parts
from portal.storage import STORAGE_ERRORS

FORMAT_VERSION = 1
SPOOL_LIMIT = 8 * 1024 * 1024  # kept in memory below 8 MB, then in a temporary file


def export_file_name(company):
    return f"donnees-entreprise-{company.pk}-{timezone.localdate().isoformat()}.zip"


def build_company_export(*, company, by):
    """A zip of everything the portal holds about `company`, as an open temporary file positioned at 0.

    `company.json` (the company, its members, its invitations), one `<part>.json` per app
    (diagnostics with answers and scores, assignments, visits and reviews, enrolments and expenses)
    and the files the parts list (the PDF reports under `reports/`). Files missing from storage are
    listed in `missing_files` of `export.json` instead of failing the export.
    """
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115 (returned open; the response closes it)
    missing = []
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        parts = []
        for part in company_data_parts():
            exported = part.export(company)
            archive.writestr(f"{part.key}.json", _json(exported.data))
            parts.append(part.key)
            for name, field_file in exported.files:
                try:
                    with field_file.open("rb") as source, archive.open(name, "w") as target:
                        for chunk in iter(lambda: source.read(1024 * 1024), b""):
                            target.write(chunk)
                except STORAGE_ERRORS:  # deleted behind the portal's back, or the storage is down
                    missing.append(name)
        manifest = {
            "format_version": FORMAT_VERSION,
            "company_id": company.pk,
            "exported_at": timezone.now(),
            "exported_by": by.pk,
            "parts": parts,
            "missing_files": missing,
        }
        archive.writestr("export.json", _json(manifest))
    archive_file.seek(0)
    return archive_file


def _json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
