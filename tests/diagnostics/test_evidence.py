"""Evidence on answers: files told by their content, size and count limits, web links only, removal
while a draft, the permission-checked download, and the questionnaire's list."""

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics import services
from diagnostics.documents import referential_to_document
from diagnostics.exceptions import DiagnosticNotDraft, InvalidEvidence
from diagnostics.models import Evidence, LevelDescriptor, Referential
from diagnostics.privacy import erase_diagnostics, export_diagnostics
from diagnostics.selectors import with_content
from experts.models import Assignment
from portal import file_types
from tests.diagnostics.evidence_support import (
    A_PLAIN_ZIP,
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    WINDOWS_PROGRAM,
    XLSX,
    attach_file,
    draft_with_answers,
    first_question,
    upload,
)
from tests.diagnostics.factories import PublishedReferentialFactory, referential_document
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential(db):
    return PublishedReferentialFactory(axes=3, questions=2)


@pytest.fixture
def draft(company, owner, referential):
    return draft_with_answers(company, owner, referential)


def download_url(evidence):
    return reverse("diagnostics:evidence_download", args=[evidence.answer.diagnostic_id, evidence.pk])


def evidence_page(diagnostic, question=None):
    return reverse("diagnostics:evidence", args=[diagnostic.pk, (question or first_question(diagnostic)).pk])


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, file_types.PDF),
        (PNG, file_types.PNG),
        (JPEG, file_types.JPEG),
        (DOCX, file_types.DOCX),
        (XLSX, file_types.XLSX),
        (PPTX, file_types.PPTX),
        (ODT, file_types.ODT),
        (ODS, file_types.ODS),
        (WINDOWS_PROGRAM, None),
        (A_PLAIN_ZIP, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"<html><script>alert(1)</script></html>", None),
    ],
)
def test_a_document_type_is_told_by_its_content(data, kind):
    assert file_types.document_type(data) == kind


def test_a_program_renamed_as_a_pdf_is_refused_and_nothing_is_stored(draft, owner):
    with pytest.raises(InvalidEvidence, match="type de fichier n'est pas accepté|not accepted"):
        attach_file(draft, owner, data=WINDOWS_PROGRAM, name="rapport-audit.pdf")
    assert not Evidence.objects.exists()


def test_a_pdf_keeps_its_name_with_the_extension_of_its_content(draft, owner):
    evidence = attach_file(draft, owner, data=PDF, name="Audit qualité 2026.exe")
    assert (evidence.filename, evidence.content_type, evidence.size) == (
        "Audit_qualité_2026.pdf",
        "application/pdf",
        len(PDF),
    )
    assert evidence.file.name.startswith(f"evidence/{draft.pk}/") and evidence.file.name.endswith(".pdf")
    assert "Audit" not in evidence.file.name  # the key is random, nothing of the user's name


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(draft, owner, settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    with pytest.raises(InvalidEvidence) as refusal:
        attach_file(draft, owner, data=PDF)
    assert "trop volumineux" in str(refusal.value)
    assert not Evidence.objects.exists()


def test_one_file_too_many_for_the_answer_is_refused(draft, owner, settings):
    settings.EVIDENCE_MAX_PER_ANSWER = 2
    attach_file(draft, owner)
    services.attach_evidence_link(
        diagnostic=draft, question=first_question(draft), url="https://example.fr/a", by=owner
    )
    with pytest.raises(InvalidEvidence) as refusal:
        attach_file(draft, owner)
    assert "2 preuves" in str(refusal.value)
    assert Evidence.objects.count() == 2


def test_another_answer_has_its_own_count(draft, owner, settings):
    settings.EVIDENCE_MAX_PER_ANSWER = 1
    attach_file(draft, owner)
    second = draft.referential.questions.order_by("pk")[1]
    assert attach_file(draft, owner, question=second).answer.question == second


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.fr/a",
        "file:///etc/passwd",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(draft, owner, url):
    with pytest.raises(InvalidEvidence) as refusal:
        services.attach_evidence_link(diagnostic=draft, question=first_question(draft), url=url, by=owner)
    assert "http://" in str(refusal.value)
    assert not Evidence.objects.exists()


def test_a_web_link_is_attached_with_its_title(draft, owner):
    evidence = services.attach_evidence_link(
        diagnostic=draft,
        question=first_question(draft),
        url=" https://intranet.example.fr/5s ",
        title="Audit 5S",
        by=owner,
    )
    assert (evidence.kind, evidence.url, evidence.label) == ("link", "https://intranet.example.fr/5s", "Audit 5S")


def test_evidence_on_an_unanswered_question_starts_its_answer_without_a_level(company, owner, referential):
    diagnostic = draft_with_answers(company, owner, referential)
    question = first_question(diagnostic)
    diagnostic.answers.filter(question=question).delete()
    evidence = attach_file(diagnostic, owner)
    assert (evidence.answer.level, evidence.answer.is_complete) == (None, False)


def test_evidence_cannot_change_once_the_diagnostic_is_submitted(draft, owner):
    evidence = attach_file(draft, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    with pytest.raises(DiagnosticNotDraft):
        attach_file(draft, owner)
    with pytest.raises(DiagnosticNotDraft):
        services.remove_evidence(evidence=evidence, by=owner)
    assert Evidence.objects.count() == 1


def test_removing_evidence_deletes_its_file_once_committed(draft, owner, django_capture_on_commit_callbacks):
    evidence = attach_file(draft, owner)
    storage = storages["default"]
    assert storage.exists(evidence.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=evidence, by=owner)
    assert not Evidence.objects.exists()
    assert not storage.exists(evidence.file.name)


# --- pages ---------------------------------------------------------------------------------------


def test_a_member_attaches_a_file_from_the_page(client, member, draft):
    client.force_login(member)
    response = client.post(evidence_page(draft), {"kind": "file", "file-file": upload(PNG, "photo.png", "image/png")})
    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "image/png"


def test_the_page_says_why_a_renamed_file_is_refused(client, owner, draft):
    client.force_login(owner)
    response = client.post(evidence_page(draft), {"kind": "file", "file-file": upload(WINDOWS_PROGRAM, "devis.docx")})
    assert response.status_code == 400
    assert "son contenu a été vérifié, pas son nom" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_page_refuses_a_javascript_link(client, owner, draft):
    client.force_login(owner)
    response = client.post(evidence_page(draft), {"kind": "link", "link-url": "javascript:alert(1)", "link-title": ""})
    assert response.status_code == 400
    assert "http://" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_member_removes_evidence_from_the_page(client, member, owner, draft):
    evidence = attach_file(draft, owner)
    client.force_login(member)
    response = client.post(reverse("diagnostics:evidence_remove", args=[draft.pk, evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_the_owner_downloads_the_file_as_an_attachment_that_browsers_must_not_sniff(client, owner, draft):
    evidence = attach_file(draft, owner, data=PDF, name="audit.pdf")
    client.force_login(owner)
    response = client.get(download_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "audit.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ["other_company_member", "officer", "expert", "plain_user", "staff"])
def test_anyone_outside_the_company_gets_a_404_for_a_drafts_evidence(client, request, owner, draft, role):
    evidence = attach_file(draft, owner)
    client.force_login(request.getfixturevalue(role))
    assert client.get(download_url(evidence)).status_code == 404
    assert client.get(evidence_page(draft)).status_code == 404
    assert client.post(reverse("diagnostics:evidence_remove", args=[draft.pk, evidence.pk])).status_code == 404
    assert Evidence.objects.count() == 1


def test_evidence_asked_under_another_diagnostic_is_not_found(client, owner, other_company_member, draft, referential):
    evidence = attach_file(draft, owner)
    other_draft = draft_with_answers(other_company_member.memberships.get().company, other_company_member, referential)
    client.force_login(other_company_member)
    assert client.get(reverse("diagnostics:evidence_download", args=[other_draft.pk, evidence.pk])).status_code == 404


@pytest.fixture
def submitted_with_evidence(draft, owner):
    evidence = attach_file(draft, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    return evidence


def test_the_assigned_expert_downloads_the_evidence(client, company, officer, submitted_with_evidence):
    expert = ReferencedExpertFactory()
    AssignmentFactory(
        expert=expert,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_with_evidence.answer.diagnostic,
        status=Assignment.Status.ACCEPTED,
    )
    client.force_login(expert.user)
    response = client.get(download_url(submitted_with_evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_expert_not_assigned_gets_a_404(client, company, officer, submitted_with_evidence):
    proposed_only = ReferencedExpertFactory()
    AssignmentFactory(expert=proposed_only, company=company, proposed_by=officer)  # proposed, not accepted
    client.force_login(proposed_only.user)
    assert client.get(download_url(submitted_with_evidence)).status_code == 404
    client.force_login(ReferencedExpertFactory().user)
    assert client.get(download_url(submitted_with_evidence)).status_code == 404


def test_readers_of_a_submitted_diagnostic_may_not_add_evidence(client, staff, submitted_with_evidence):
    client.force_login(staff)
    diagnostic = submitted_with_evidence.answer.diagnostic
    assert client.get(evidence_page(diagnostic)).status_code == 200
    response = client.post(evidence_page(diagnostic), {"kind": "link", "link-url": "https://example.fr"})
    assert response.status_code == 403
    assert Evidence.objects.count() == 1


# --- the questionnaire ---------------------------------------------------------------------------


def axis_url(diagnostic, code="AX1"):
    return reverse("diagnostics:axis", args=[diagnostic.pk, code])


def test_the_questionnaire_lists_each_questions_evidence(client, owner, draft):
    attach_file(draft, owner, name="plan-de-maintenance.pdf")
    services.attach_evidence_link(
        diagnostic=draft, question=first_question(draft), url="https://example.fr/5s", title="Tableau 5S", by=owner
    )
    client.force_login(owner)
    page = client.get(axis_url(draft)).content.decode()
    assert "Preuves (2)" in page
    assert "plan-de-maintenance.pdf" in page and "Tableau 5S" in page
    assert 'rel="noopener noreferrer nofollow"' in page


def test_levels_that_expect_evidence_are_marked_in_the_questionnaire(client, owner, company):
    document = referential_document(axes=3, questions=2, version="evidence.1")
    for level in document["axes"][0]["questions"][0]["levels"][4:]:
        level["evidence_expected"] = True
    loaded = services.load_referential_document(document=document).referential
    referential = services.publish_referential(referential=loaded)
    diagnostic = draft_with_answers(company, owner, referential, level=4)
    client.force_login(owner)
    page = client.get(axis_url(diagnostic)).content.decode()
    assert page.count("preuve attendue") == 2  # levels 4 and 5 of the first question
    assert "Des preuves sont attendues à ce niveau" in page


def test_the_questionnaire_page_costs_the_same_queries_whatever_the_evidence(
    client, owner, draft, django_assert_max_num_queries, settings
):
    settings.EVIDENCE_MAX_PER_ANSWER = 10
    client.force_login(owner)
    client.get(axis_url(draft))  # warm the session and caches
    for question in draft.referential.questions.filter(axis__code="AX1"):
        for number in range(5):
            services.attach_evidence_link(
                diagnostic=draft, question=question, url=f"https://example.fr/{number}", by=owner
            )
    with django_assert_max_num_queries(14):
        response = client.get(axis_url(draft))
    assert response.content.decode().count('href="https://example.fr/') == 10


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_questionnaire_and_evidence_pages_cost_the_same_with_one_or_many_files(client, owner, draft, settings):
    settings.EVIDENCE_MAX_PER_ANSWER = 10
    client.force_login(owner)
    questions = list(draft.referential.questions.filter(axis__code="AX1").order_by("pk"))
    attach_file(draft, owner, question=questions[0])
    pages = (axis_url(draft), evidence_page(draft, questions[0]))
    for url in pages:
        client.get(url)  # warm the session and caches
    with_one = [_queries_of(client, url) for url in pages]
    for question in questions:
        for number in range(4):
            attach_file(draft, owner, name=f"releve-{number}.pdf", question=question)
            services.attach_evidence_link(
                diagnostic=draft, question=question, url=f"https://example.fr/{number}", by=owner
            )
    with_many = [_queries_of(client, url) for url in pages]
    assert Evidence.objects.filter(answer__diagnostic=draft).count() == 1 + 8 * len(questions)
    assert with_one == with_many


def test_the_flag_is_loaded_and_exported_only_where_it_is_set():
    document = referential_document(axes=3, questions=2, version="evidence.2")
    document["axes"][0]["questions"][0]["levels"][5]["evidence_expected"] = True
    referential = services.load_referential_document(document=document).referential
    flagged = LevelDescriptor.objects.filter(question__referential=referential, evidence_expected=True)
    assert list(flagged.values_list("question__code", "level")) == [("AX1-1", 5)]
    exported = referential_to_document(with_content(Referential.objects.filter(pk=referential.pk)).get())
    levels = [level for axis in exported["axes"] for question in axis["questions"] for level in question["levels"]]
    assert [level for level in levels if "evidence_expected" in level] == [levels[5]]
    assert levels[5]["evidence_expected"] is True


def test_the_company_data_export_holds_the_evidence_and_its_file(draft, owner, company):
    evidence = attach_file(draft, owner, name="audit.pdf")
    part = export_diagnostics(company)
    (answer,) = [a for d in part.data["diagnostics"] for a in d["answers"] if a["evidence"]]
    (entry,) = answer["evidence"]
    assert (entry["kind"], entry["content_type"]) == ("file", "application/pdf")
    assert [(name, stored.name) for name, stored in part.files] == [(entry["file"], evidence.file.name)]


def test_closing_the_company_erases_its_evidence_and_the_files(
    draft, owner, company, django_capture_on_commit_callbacks
):
    evidence = attach_file(draft, owner)
    with django_capture_on_commit_callbacks(execute=True):
        erase_diagnostics(company=company, user_ids=[owner.pk])
    assert not Evidence.objects.exists()
    assert not storages["default"].exists(evidence.file.name)
