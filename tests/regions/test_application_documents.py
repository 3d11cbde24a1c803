"""The application file: documents checked by their content and limits, stored on the default
storage (local disk or object storage), read only through the permission-checked view."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.file_types import document_type
from portal.models import AuditEntry
from regions import services
from regions.exceptions import DocumentRefused
from regions.models import EnrolmentDocument
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, an_officer
from tests.storage_support import downloaded

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def office_file(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(content=PDF, name="devis.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
        (office_file({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}), "docx"),
        (office_file({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>"}), "xlsx"),
        (office_file({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}), "odt"),
    ],
)
def test_a_document_is_recognised_by_its_content(content, expected):
    assert document_type(content).extension == expected


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>", office_file({"evil.sh": "rm -rf /"}), b"PK\x03\x04 broken zip"],
)
def test_anything_else_is_not_recognised(content):
    assert document_type(content) is None


def test_a_member_adds_a_document_stored_under_its_hash_and_audited():
    enrolment = EnrolmentFactory()
    document = services.add_document(enrolment=enrolment, kind="quote", upload=upload(), by=enrolment.applied_by)
    assert document.file.name.startswith(f"applications/{enrolment.pk}/{document.sha256}")
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert (document.content_type, document.original_name, document.size) == ("application/pdf", "devis.pdf", len(PDF))
    entry = AuditEntry.objects.get(action="enrolment.document_added")
    assert entry.region_id == enrolment.programme.region_id


def test_a_file_whose_name_lies_is_refused_and_nothing_is_written(english):
    enrolment = EnrolmentFactory()
    with pytest.raises(DocumentRefused, match="not a PDF"):
        services.add_document(
            enrolment=enrolment, kind="quote", upload=upload(b"#!/bin/sh\n", "devis.pdf"), by=enrolment.applied_by
        )
    assert not EnrolmentDocument.objects.exists()


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(settings, english):
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 100
    enrolment = EnrolmentFactory()
    with pytest.raises(DocumentRefused, match="too large"):
        services.add_document(enrolment=enrolment, kind="quote", upload=upload(PDF + b"x" * 100), by=None)
    assert not EnrolmentDocument.objects.exists()


def test_an_application_holds_at_most_the_documents_the_settings_allow(settings, english):
    settings.APPLICATION_DOCUMENTS_MAX_COUNT = 2
    enrolment = EnrolmentFactory()
    for kind in ("quote", "registration"):
        services.add_document(enrolment=enrolment, kind=kind, upload=upload(), by=None)
    with pytest.raises(DocumentRefused, match="at most 2 documents"):
        services.add_document(enrolment=enrolment, kind="de_minimis", upload=upload(), by=None)


def test_documents_are_added_only_while_the_application_is_open_to_changes():
    under_review = EnrolmentFactory(status="under_review")
    with pytest.raises(DocumentRefused):
        services.add_document(enrolment=under_review, kind="quote", upload=upload(), by=None)
    sent_back = EnrolmentFactory(status="sent_back")
    assert services.add_document(enrolment=sent_back, kind="quote", upload=upload(), by=None).pk


def test_the_page_adds_a_document_and_the_officer_downloads_it(client, english):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.applied_by)
    url = reverse("regions:document_add", args=[enrolment.pk])
    response = client.post(url, {"kind": "registration", "file": upload(name="kbis.pdf")})
    assert response.status_code == 302
    document = EnrolmentDocument.objects.get()
    client.force_login(an_officer(enrolment.programme.region))
    content, headers = downloaded(client.get(reverse("regions:document_download", args=[document.pk])))
    assert content == PDF
    assert headers["Content-Type"] == "application/pdf"
    assert "kbis.pdf" in headers["Content-Disposition"]


def test_a_refused_upload_says_why_on_the_page(client, english):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.applied_by)
    url = reverse("regions:document_add", args=[enrolment.pk])
    response = client.post(url, {"kind": "quote", "file": upload(b"plain text", "devis.pdf")}, follow=True)
    assert "not a PDF" in response.content.decode()
    assert not EnrolmentDocument.objects.exists()


def test_another_company_gets_a_404(client):
    enrolment = EnrolmentFactory()
    document = services.add_document(enrolment=enrolment, kind="quote", upload=upload(), by=None)
    client.force_login(OwnerFactory().user)
    assert client.get(reverse("regions:document_download", args=[document.pk])).status_code == 404


def test_on_object_storage_the_download_is_a_short_lived_signed_link(client, object_storage):
    enrolment = EnrolmentFactory()
    document = services.add_document(enrolment=enrolment, kind="quote", upload=upload(), by=None)
    client.force_login(enrolment.applied_by)
    response = client.get(reverse("regions:document_download", args=[document.pk]))
    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"] and "X-Amz-Expires" in response["Location"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_application_page_lists_the_documents_in_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    enrolment = EnrolmentFactory()
    for _index in range(5):
        services.add_document(enrolment=enrolment, kind="quote", upload=upload(), by=enrolment.applied_by)
    client.force_login(enrolment.applied_by)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("regions:enrolment_detail", args=[enrolment.pk]))
    assert response.content.decode().count(reverse("regions:document_download", args=[1])[:-2]) >= 5
