"""The API's endpoints do what the pages do, through the same services, with bounded queries."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from diagnostics import services as diagnostics_services
from diagnostics.models import Answer
from diagnostics.validation import read_referential_file
from regions.models import Programme
from tests.api.support import api_client
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.experts.factories import ReferencedExpertFactory
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"


@pytest.fixture
def draft(owner, company):
    return DiagnosticFactory(
        company=company, referential=PublishedReferentialFactory(axes=2, questions=3), started_by=owner
    )


def put_answer(owner, diagnostic, code, **data):
    return api_client(owner, "write").put(f"/api/v1/diagnostics/{diagnostic.pk}/answers/{code}/", data, format="json")


# --- answers (autosave) ------------------------------------------------------------------------------


def test_a_member_saves_an_answer_through_the_same_service(owner, draft):
    response = put_answer(owner, draft, "AX1-1", level=4, comment="Bien.")
    assert response.status_code == 200 and response.json()["level"] == 4
    answer = Answer.objects.get(diagnostic=draft, question__code="AX1-1")
    assert (answer.level, answer.comment, answer.answered_by) == (4, "Bien.", owner)


def test_an_answer_to_a_submitted_diagnostic_is_refused_with_409(owner, draft):
    answer_all(draft, level=2, by=owner)
    diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    response = put_answer(owner, draft, "AX1-1", level=4)
    assert response.status_code == 409 and response.json()["code"] == "diagnostic_not_draft"
    assert Answer.objects.get(diagnostic=draft, question__code="AX1-1").level == 2


def test_not_applicable_where_the_question_does_not_allow_it_is_refused_by_the_service(owner, draft):
    response = put_answer(owner, draft, "AX1-1", not_applicable=True)  # AX1-1 does not allow it
    assert response.status_code == 400 and response.json()["code"] == "invalid_answer"
    assert not Answer.objects.exists()


def test_a_level_outside_0_to_5_is_refused_with_the_field_named(owner, draft):
    response = put_answer(owner, draft, "AX1-1", level=9)
    assert response.status_code == 400 and "level" in response.json()["errors"]


def test_control_characters_in_a_comment_are_refused(owner, draft):
    response = put_answer(owner, draft, "AX1-1", level=1, comment="a\u202eb")
    assert response.status_code == 400 and "comment" in response.json()["errors"]


# --- diagnostics and scores ---------------------------------------------------------------------------


def test_the_list_is_filtered_and_refuses_unknown_parameters(owner, draft):
    client = api_client(owner)
    assert client.get("/api/v1/diagnostics/", {"status": "draft"}).json()["count"] == 1
    assert client.get("/api/v1/diagnostics/", {"status": "submitted"}).json()["count"] == 0
    assert client.get("/api/v1/diagnostics/", {"statut": "draft"}).status_code == 400
    assert client.get("/api/v1/diagnostics/", {"page_size": "0"}).status_code == 400
    assert client.get("/api/v1/diagnostics/", {"company": "99999999999999999999"}).status_code == 400


def test_a_page_number_that_is_not_a_whole_number_from_one_is_refused(owner, draft):
    client = api_client(owner)
    for page in ("", "0", "abc", "1.5"):
        response = client.get("/api/v1/diagnostics/", {"page": page})
        assert response.status_code == 400 and "page" in response.json()["errors"], page
    assert client.get("/api/v1/diagnostics/", {"page": "1"}).json()["count"] == 1
    assert client.get("/api/v1/diagnostics/", {"page": "2"}).status_code == 404


def test_a_submitted_diagnostic_shows_its_scores_and_its_dma_view(owner, company):
    referential = diagnostics_services.load_referential_document(
        document=read_referential_file(SHIPPED, theme_codes=None), publish=True
    ).referential
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=3, by=owner)
    diagnostics_services.submit_diagnostic(diagnostic=diagnostic, by=owner)

    scores = api_client(owner).get(f"/api/v1/diagnostics/{diagnostic.pk}/").json()["scores"]

    assert scores["overall"] == "3.00" and scores["band"] == 3 and len(scores["axes"]) == 8
    assert scores["coverage_modules"] == []  # no module opened: the core only
    assert scores["dma"]["overall"] == 61 and scores["dma"]["band"] == "moderately_advanced"
    assert [d["score"] for d in scores["dma"]["dimensions"]] == ["87.5", "56.4", "73.2", "54.8", "28.0", "65.0"]


def test_a_referential_version_without_crosswalk_has_no_dma_view(owner, draft):
    answer_all(draft, level=2, by=owner)
    diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    assert api_client(owner).get(f"/api/v1/diagnostics/{draft.pk}/").json()["scores"]["dma"] is None


def test_lists_run_a_number_of_queries_that_does_not_grow(django_assert_max_num_queries):
    officer = an_officer()
    programme = ProgrammeFactory()
    EnrolmentFactory(programme=programme)
    ReferencedExpertFactory(regions=["53"], axes={"AX1": 2})
    client = api_client(officer)
    counts = {}
    for url in ("/api/v1/enrolments/", "/api/v1/programmes/", "/api/v1/experts/", "/api/v1/diagnostics/"):
        with django_assert_max_num_queries(15) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    for _ in range(4):
        EnrolmentFactory(programme=ProgrammeFactory())
        ReferencedExpertFactory(regions=["53"], axes={"AX1": 2})
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


# --- decisions on applications -------------------------------------------------------------------------


def test_an_officer_accepts_an_application_committing_the_money():
    programme = ProgrammeFactory(budget=Decimal("10000"))
    officer = an_officer(programme.region)
    enrolment = EnrolmentFactory(programme=programme, status="under_review", officer=officer)
    response = api_client(officer, "write").post(
        f"/api/v1/enrolments/{enrolment.pk}/accept/", {"amount": "4000.00"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Programme.objects.get(pk=programme.pk).committed_total == Decimal("4000.00")


def test_an_amount_above_the_budget_left_is_refused_with_409_and_the_figures():
    programme = ProgrammeFactory(budget=Decimal("3000"), cap_per_company=Decimal("10000"))
    officer = an_officer(programme.region)
    enrolment = EnrolmentFactory(
        programme=programme, status="under_review", officer=officer, requested_amount=Decimal("5000")
    )
    response = api_client(officer, "write").post(
        f"/api/v1/enrolments/{enrolment.pk}/accept/", {"amount": "5000.00"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409 and response.json()["code"] == "budget_exhausted"
    assert "3,000" in response.json()["detail"] or "3 000" in response.json()["detail"]
    assert Programme.objects.get(pk=programme.pk).committed_total == 0


def test_a_refusal_needs_its_reason():
    programme = ProgrammeFactory()
    officer = an_officer(programme.region)
    enrolment = EnrolmentFactory(programme=programme, status="under_review", officer=officer)
    response = api_client(officer, "write").post(f"/api/v1/enrolments/{enrolment.pk}/refuse/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]


# --- the directory, the schema and its documentation -----------------------------------------------------


def test_the_directory_hides_day_rates_from_anonymous_callers():
    ReferencedExpertFactory(regions=["53"], axes={"AX1": 2}, day_rate=Decimal("900"))
    anonymous = api_client().get("/api/v1/experts/", {"region": "53"}).json()["results"][0]
    member = api_client(OwnerFactory().user).get("/api/v1/experts/", {"region": "53"}).json()["results"][0]
    assert anonymous["day_rate"] is None and anonymous["email"] is None
    assert member["day_rate"] == "900.00"
    assert api_client().get("/api/v1/experts/", {"region": "84"}).json()["count"] == 0


def test_the_schema_declares_the_bearer_token_and_the_docs_page_lists_every_operation(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        **schema["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    operations = [(path, method) for path, methods in schema["paths"].items() for method in methods]
    page = client.get(reverse("api:docs")).content.decode()
    assert all(path in page for path, _method in operations)
    assert len(operations) == 18
