"""Evidence on the S3-compatible server (every pass): the file lives in the bucket under a random key,
nothing on the local disk, and the permission-checked view streams it (no link to the bucket given out)."""

import pytest
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Evidence
from portal.storage import ObjectStorage
from tests.diagnostics.evidence_support import DOCX, attach_file, draft_with_answers
from tests.diagnostics.factories import PublishedReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_object_storage(object_storage, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "disk-of-this-host"


@pytest.fixture
def draft(company, owner):
    return draft_with_answers(company, owner, PublishedReferentialFactory(axes=3, questions=2))


def test_an_evidence_file_lives_in_the_bucket_and_not_on_the_disk(draft, owner, settings):
    evidence = attach_file(draft, owner, data=DOCX, name="procédure.docx")
    assert isinstance(evidence.file.storage, ObjectStorage)
    assert evidence.file.storage.exists(evidence.file.name)
    assert not settings.MEDIA_ROOT.exists()


def test_the_download_streams_the_file_from_the_bucket_on_a_host_with_an_empty_disk(
    client, owner, draft, settings, tmp_path
):
    evidence = attach_file(draft, owner, data=DOCX, name="procédure.docx")
    settings.MEDIA_ROOT = tmp_path / "disk-of-another-host"
    client.force_login(owner)
    response = client.get(reverse("diagnostics:evidence_download", args=[draft.pk, evidence.pk]))
    assert response.status_code == 200  # streamed, not a redirect to the bucket
    assert b"".join(response.streaming_content) == DOCX
    assert response["Content-Type"] == Evidence.objects.get().content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_company_gets_a_404_before_the_bucket_is_read(client, owner, other_company_member, draft):
    evidence = attach_file(draft, owner)
    client.force_login(other_company_member)
    assert client.get(reverse("diagnostics:evidence_download", args=[draft.pk, evidence.pk])).status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404(client, owner, draft):
    evidence = attach_file(draft, owner)
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(owner)
    assert client.get(reverse("diagnostics:evidence_download", args=[draft.pk, evidence.pk])).status_code == 404


def test_removing_evidence_deletes_the_object(draft, owner, django_capture_on_commit_callbacks):
    evidence = attach_file(draft, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=evidence, by=owner)
    assert not evidence.file.storage.exists(evidence.file.name)
