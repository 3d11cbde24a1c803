"""Batch decisions: several applications accepted or refused at once, each through the same service
under its own locks, the page saying what happened to each."""

from decimal import Decimal

import pytest
from django.urls import reverse

from regions.models import Enrolment, Programme
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(budget=Decimal("12000"), cap_per_company=Decimal("10000"))


def test_each_selected_application_is_accepted_at_its_aid_or_skipped_with_the_reason(client, programme, english):
    first = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("7000"))
    second = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("6000"))
    decided = EnrolmentFactory(programme=programme, status="refused", requested_amount=Decimal("1000"))
    client.force_login(an_officer(programme.region))
    response = client.post(
        reverse("regions:batch_decision", args=[programme.pk]),
        {"decision": "accept", "enrolments": [first.pk, second.pk, decided.pk]},
    )
    assert response.status_code == 200
    outcomes = {outcome.enrolment.pk: outcome for outcome in response.context["outcomes"]}
    assert (outcomes[first.pk].result, outcomes[first.pk].amount) == ("accepted", Decimal("7000"))
    assert outcomes[second.pk].result == "skipped"
    assert outcomes[second.pk].detail == "Budget exhausted: 5,000 EUR left, 6,000 EUR asked"
    assert outcomes[decided.pk].detail == "This application has already been decided: refused."
    assert Programme.objects.get(pk=programme.pk).committed_total == Decimal("7000")


def test_a_batch_refusal_needs_a_reason_and_changes_nothing_without_one(client, programme, english):
    enrolment = EnrolmentFactory(programme=programme, status="under_review")
    client.force_login(an_officer(programme.region))
    url = reverse("regions:batch_decision", args=[programme.pk])
    response = client.post(url, {"decision": "refuse", "enrolments": [enrolment.pk]}, follow=True)
    assert "Give the reason for the refusal" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).status == "under_review"
    response = client.post(url, {"decision": "refuse", "enrolments": [enrolment.pk], "reason": "Hors cible."})
    assert [outcome.result for outcome in response.context["outcomes"]] == ["refused"]
    assert Enrolment.objects.get(pk=enrolment.pk).refusal_reason == "Hors cible."


def test_an_application_of_another_programme_cannot_be_slipped_in(client, programme, english):
    other = EnrolmentFactory(status="under_review")
    client.force_login(an_officer(programme.region))
    client.post(
        reverse("regions:batch_decision", args=[programme.pk]), {"decision": "accept", "enrolments": [other.pk]}
    )
    assert Enrolment.objects.get(pk=other.pk).status == "under_review"


def test_the_programme_page_offers_the_selection_in_a_bounded_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    for _index in range(4):
        EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("1000"))
    client.force_login(an_officer(programme.region))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("regions:programme_detail", args=[programme.pk]))
    assert response.content.decode().count('name="enrolments"') == 4
