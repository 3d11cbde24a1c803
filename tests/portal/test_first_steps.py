"""Guided first steps: after sign-up and on a company page without a submitted diagnostic, one call to
start (or finish) the self-diagnostic; none once a diagnostic is submitted, none for outsiders."""

import pytest
from django.urls import reverse

from diagnostics.services import submit_diagnostic
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all

pytestmark = pytest.mark.django_db


def company_page(client, user, company):
    client.force_login(user)
    return client.get(reverse("portal:company_detail", args=[company.pk]))


def test_a_company_without_diagnostic_is_offered_to_start_one(client, owner, company):
    response = company_page(client, owner, company)
    assert response.context["first_step"].url == reverse("diagnostics:start", args=[company.pk])
    assert f'action="{reverse("diagnostics:start", args=[company.pk])}"' in response.content.decode()


def test_a_company_with_a_draft_is_offered_to_continue_it(client, owner, company):
    draft = DiagnosticFactory(company=company, started_by=owner)
    response = company_page(client, owner, company)
    assert response.context["first_step"].url == reverse("diagnostics:detail", args=[draft.pk])


def test_a_company_with_a_submitted_diagnostic_gets_no_call_to_action(client, owner, company):
    diagnostic = DiagnosticFactory(company=company, referential=PublishedReferentialFactory(), started_by=owner)
    answer_all(diagnostic)
    submit_diagnostic(diagnostic=diagnostic, by=owner)
    assert company_page(client, owner, company).context["first_step"] is None


def test_staff_reading_a_company_page_get_no_call_to_action(client, staff, company):
    assert company_page(client, staff, company).context["first_step"] is None


def test_the_company_page_with_its_call_to_action_stays_within_its_query_budget(
    client, owner, company, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:company_detail", args=[company.pk]))
