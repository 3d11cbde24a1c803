"""The Alliance staff's referential pages: versions with status and dates, the upload of a YAML file
with its problems listed, the draft's differences from the published version, publish and retire.
Staff only."""

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnostics.models import Referential
from tests.diagnostics.conftest import MALFORMED, SMALL_REFERENTIAL
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory, referential_document

pytestmark = pytest.mark.django_db

Status = Referential.Status


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/yaml")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_versions_page_lists_each_version_with_its_status(staff_client):
    published = PublishedReferentialFactory(version="2026.1")
    draft = ReferentialFactory(version="2026.2")
    page = staff_client.get(reverse("diagnostics:referential_versions")).content.decode()
    assert reverse("diagnostics:referential_version", args=[published.pk]) in page
    assert reverse("diagnostics:referential_version", args=[draft.pk]) in page


def test_the_versions_page_stays_within_its_query_budget(staff_client, django_assert_max_num_queries):
    for version in ("2026.1", "2026.2", "2026.3"):
        ReferentialFactory(version=version)
    with django_assert_max_num_queries(8):
        staff_client.get(reverse("diagnostics:referential_versions"))


def test_without_versions_the_page_says_to_load_one(staff_client):
    page = staff_client.get(reverse("diagnostics:referential_versions")).content.decode()
    assert 'class="empty-state' in page


def test_a_valid_file_is_loaded_as_a_draft(staff_client):
    response = staff_client.post(
        reverse("diagnostics:referential_versions"), {"file": upload("ref.yaml", SMALL_REFERENTIAL.read_bytes())}
    )
    loaded = Referential.objects.get(code="test-referential")
    assert loaded.status == Status.DRAFT
    assert response.url == reverse("diagnostics:referential_version", args=[loaded.pk])


def test_a_malformed_file_lists_each_problem_and_loads_nothing(staff_client):
    content = (MALFORMED / "duplicate-axis-code.yaml").read_bytes()
    response = staff_client.post(reverse("diagnostics:referential_versions"), {"file": upload("bad.yaml", content)})
    assert response.status_code == 400
    assert response.context["problems"]
    assert 'id="referential-problems"' in response.content.decode()
    assert not Referential.objects.exists()


def test_a_file_that_is_not_yaml_is_refused_beside_the_field(staff_client):
    response = staff_client.post(reverse("diagnostics:referential_versions"), {"file": upload("ref.pdf", b"%PDF")})
    assert "file" in response.context["form"].errors
    assert not Referential.objects.exists()


def test_the_draft_page_shows_the_questions_added_and_removed(staff_client):
    published = PublishedReferentialFactory(version="2026.1", axes=2, questions=3)
    document = referential_document(version="2026.2", axes=2, questions=4)
    draft = ReferentialFactory(version="2026.2", axes=2, questions=4)
    response = staff_client.get(reverse("diagnostics:referential_version", args=[draft.pk]))
    added = {code for kind, code, _title in response.context["comparison"].added if kind == "question"}
    assert added == {q["code"] for axis in document["axes"] for q in axis["questions"]} - {
        q.code for q in published.questions.all()
    }
    assert added


def test_staff_publish_a_complete_draft(staff_client):
    draft = ReferentialFactory(version="2026.2")
    response = staff_client.post(reverse("diagnostics:referential_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert response.url == reverse("diagnostics:referential_version", args=[draft.pk])


def test_staff_retire_a_published_version(staff_client):
    published = PublishedReferentialFactory(version="2026.1")
    staff_client.post(reverse("diagnostics:referential_retire", args=[published.pk]))
    published.refresh_from_db()
    assert published.status == Status.RETIRED


def test_retiring_a_draft_is_refused_with_a_message(staff_client):
    draft = ReferentialFactory(version="2026.2")
    response = staff_client.post(reverse("diagnostics:referential_retire", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert list(response.context["messages"])


def test_the_page_offers_the_moves_the_status_allows(staff_client):
    draft = ReferentialFactory(version="2026.2")
    page = staff_client.get(reverse("diagnostics:referential_version", args=[draft.pk])).content.decode()
    assert reverse("diagnostics:referential_publish", args=[draft.pk]) in page
    assert reverse("diagnostics:referential_retire", args=[draft.pk]) not in page


@pytest.mark.parametrize("role", ["owner", "officer", "expert", "plain_user"])
def test_the_referential_pages_are_refused_to_everyone_but_staff(client, request, role):
    draft = ReferentialFactory(version="2026.2")
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("diagnostics:referential_versions")).status_code == 403
    assert client.post(reverse("diagnostics:referential_publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_yaml_document_round_trips_through_the_upload(staff_client):
    document = referential_document(version="2027.1")
    staff_client.post(
        reverse("diagnostics:referential_versions"),
        {"file": upload("ref.yaml", yaml.safe_dump(document, allow_unicode=True).encode())},
    )
    assert Referential.objects.get(version="2027.1").status == Status.DRAFT
