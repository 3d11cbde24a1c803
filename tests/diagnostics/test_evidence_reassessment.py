"""A re-assessment started from the previous answers carries their evidence: links as they are, files
copied under the new draft's own keys, so that each diagnostic owns its files."""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Diagnostic, Evidence
from tests.diagnostics.evidence_support import PDF, PNG, attach_file, draft_with_answers, first_question
from tests.diagnostics.factories import PublishedReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(company, owner):
    """A submitted diagnostic whose first question carries a PDF, a PNG and a link."""
    referential = PublishedReferentialFactory(axes=2, questions=2)
    draft = draft_with_answers(company, owner, referential)
    attach_file(draft, owner, data=PDF, name="audit.pdf")
    attach_file(draft, owner, data=PNG, name="atelier.png")
    services.attach_evidence_link(
        diagnostic=draft, question=first_question(draft), url="https://example.fr/plan", title="Plan", by=owner
    )
    return services.submit_diagnostic(diagnostic=draft, by=owner)


def carried(diagnostic):
    return list(Evidence.objects.filter(answer__diagnostic=diagnostic).order_by("added_at", "pk"))


def test_a_draft_from_the_previous_answers_carries_their_links_and_files(company, owner, submitted):
    second = services.start_diagnostic(company=company, by=owner, from_previous=True)

    before, after = carried(submitted), carried(second)
    assert [(item.kind, item.label, item.answer.question.code) for item in after] == [
        (item.kind, item.label, item.answer.question.code) for item in before
    ]
    storage = storages["default"]
    for old, new in zip(before[:2], after[:2], strict=True):
        assert new.file.name != old.file.name and new.file.name.startswith(f"evidence/{second.pk}/")
        with storage.open(old.file.name, "rb") as original, storage.open(new.file.name, "rb") as copy:
            assert copy.read() == original.read()
        assert (new.content_type, new.size, new.added_by_id) == (old.content_type, old.size, owner.pk)


def test_removing_a_carried_file_from_the_draft_keeps_the_previous_diagnostics_file(
    company, owner, submitted, django_capture_on_commit_callbacks
):
    second = services.start_diagnostic(company=company, by=owner, from_previous=True)
    old, new = carried(submitted)[0], carried(second)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=new, by=owner)
    storage = storages["default"]
    assert not storage.exists(new.file.name)
    assert storage.exists(old.file.name)


def test_no_more_than_the_current_limit_per_answer_is_carried_the_oldest_first(company, owner, submitted, settings):
    settings.EVIDENCE_MAX_PER_ANSWER = 2
    second = services.start_diagnostic(company=company, by=owner, from_previous=True)
    assert [item.label for item in carried(second)] == ["audit.pdf", "atelier.png"]


def test_a_file_missing_from_the_storage_is_left_out_and_the_rest_carried(company, owner, submitted):
    storages["default"].delete(carried(submitted)[0].file.name)
    second = services.start_diagnostic(company=company, by=owner, from_previous=True)
    assert [item.label for item in carried(second)] == ["atelier.png", "Plan"]


def test_a_new_diagnostic_not_started_from_the_previous_answers_carries_nothing(company, owner, submitted):
    second = services.start_diagnostic(company=company, by=owner)
    assert carried(second) == []


def test_the_owner_downloads_the_carried_file_from_the_new_draft(client, company, owner, submitted):
    client.force_login(owner)
    client.post(reverse("diagnostics:start", args=[company.pk]), {"from_previous": "1"})
    second = Diagnostic.objects.get(company=company, status=Diagnostic.Status.DRAFT)
    new = carried(second)[0]
    response = client.get(reverse("diagnostics:evidence_download", args=[second.pk, new.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
