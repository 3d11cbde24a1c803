"""Query budgets: the questionnaire pages run a fixed number of queries whatever the size of the
referential and the number of answers; an autosave is one request and at most three queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics import services
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 12
AUTOSAVE_BUDGET = 3
SIZES = [(2, 2), (8, 6)]


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def filled_draft(request, company, owner, member):
    axes, questions = request.param
    PublishedReferentialFactory(axes=axes, questions=questions)
    diagnostic = services.start_diagnostic(company=company, by=owner)
    # Half the answers by each member, so "who answered" needs every user.
    answer_all(diagnostic, level=lambda q: q.pk % 6, by=owner)
    diagnostic.answers.filter(question__code__endswith="-1").update(answered_by=member)
    diagnostic.answers.filter(question__code__endswith="-2").delete()
    return diagnostic


@pytest.fixture
def client(owner):
    client = Client()
    client.force_login(owner)
    return client


def count(client, method, url, data=None, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, **extra)
    return response, len(queries)


def test_axis_page_budget(client, filled_draft, django_assert_max_num_queries):
    url = reverse("diagnostics:axis", args=[filled_draft.pk, "AX1"])
    client.get(url)  # warm what is per-process (content types, translations)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(url)
    assert response.status_code == 200


def test_axis_page_runs_the_same_queries_whatever_the_size(company, owner):
    counts = []
    for axes, questions in SIZES:
        PublishedReferentialFactory(axes=axes, questions=questions, version=f"{axes}x{questions}")
        diagnostic = services.start_diagnostic(company=company, by=owner)
        answer_all(diagnostic, level=2)
        client = Client()
        client.force_login(owner)
        url = reverse("diagnostics:axis", args=[diagnostic.pk, "AX1"])
        client.get(url)
        counts.append(count(client, "get", url)[1])
        services.submit_diagnostic(diagnostic=diagnostic, by=owner)
    assert counts[0] == counts[1] <= PAGE_BUDGET


def test_review_and_list_budgets(client, company, filled_draft, django_assert_max_num_queries):
    for url in (
        reverse("diagnostics:review", args=[filled_draft.pk]),
        reverse("diagnostics:company_diagnostics", args=[company.pk]),
    ):
        client.get(url)
        with django_assert_max_num_queries(PAGE_BUDGET):
            assert client.get(url).status_code == 200


def test_autosave_budget(client, filled_draft, django_assert_max_num_queries):
    question = filled_draft.referential.questions.get(code="AX1-2")
    url = reverse("diagnostics:autosave", args=[filled_draft.pk, question.pk])
    data = {f"q{question.pk}-choice": "3", f"q{question.pk}-comment": "ok"}
    client.post(url, data, HTTP_HX_REQUEST="true")  # warm
    with django_assert_max_num_queries(AUTOSAVE_BUDGET):
        response = client.post(url, {**data, f"q{question.pk}-choice": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert filled_draft.answers.get(question=question).level == 4


def test_refused_autosaves_stay_within_budget(client, filled_draft, staff, django_assert_max_num_queries):
    question = filled_draft.referential.questions.get(code="AX1-2")
    url = reverse("diagnostics:autosave", args=[filled_draft.pk, question.pk])
    client.post(url, {f"q{question.pk}-choice": "1"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(AUTOSAVE_BUDGET):
        assert client.post(url, {f"q{question.pk}-choice": "9"}, HTTP_HX_REQUEST="true").status_code == 400
    staff_client = Client()
    staff_client.force_login(staff)
    staff_client.post(url, {f"q{question.pk}-choice": "1"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(AUTOSAVE_BUDGET):
        # Staff do not see a draft at all (404); an officer or an expert would not either.
        assert staff_client.post(url, {f"q{question.pk}-choice": "1"}, HTTP_HX_REQUEST="true").status_code == 404
