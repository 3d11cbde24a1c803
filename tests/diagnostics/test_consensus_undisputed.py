"""The consensus step keeps, in one step, the answer of every question nobody disputes; the questions
whose answers differ (and those already settled) are left to the lead."""

import pytest
from django.urls import reverse

from diagnostics import selectors, services
from diagnostics.models import Answer, ConsensusDecision, RespondentFunction
from tests.diagnostics.factories import PublishedReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(company, owner, member):
    """AX1-1: both at 2 (agreed); AX1-2: the lead alone at 4; AX2-1: 1 against 3 (disputed); AX2-2: both
    "not applicable" where allowed, else both at 0; nobody answered the rest."""
    PublishedReferentialFactory(axes=2, questions=3)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)

    def save(code, level, by, not_applicable=False):
        question = draft.referential.questions.get(code=code)
        services.save_respondent_answer(
            diagnostic=draft, question=question, level=level, not_applicable=not_applicable, by=by
        )

    for user in (owner, member):
        save("AX1-1", 2, user)
    save("AX1-2", 4, owner)
    save("AX2-1", 1, owner)
    save("AX2-1", 3, member)
    allowed = draft.referential.questions.get(code="AX2-2").allows_not_applicable
    for user in (owner, member):
        save("AX2-2", None if allowed else 0, user, not_applicable=allowed)
    return draft


def company_answers(draft):
    return {
        answer.question.code: (answer.level, answer.not_applicable)
        for answer in Answer.objects.filter(diagnostic=draft).select_related("question")
    }


def test_the_undisputed_questions_are_set_and_the_disputed_one_is_left(draft, owner):
    decisions = services.settle_undisputed(diagnostic=draft, by=owner)

    assert sorted(decision.question.code for decision in decisions) == ["AX1-1", "AX1-2", "AX2-2"]
    answers = company_answers(draft)
    assert answers["AX1-1"] == (2, False) and answers["AX1-2"] == (4, False)
    assert "AX2-1" not in answers
    assert [question.code for question in selectors.questions_awaiting_consensus(draft)] == ["AX2-1"]


def test_a_question_already_settled_keeps_the_leads_answer_and_note(draft, owner):
    agreed = draft.referential.questions.get(code="AX1-1")
    services.set_consensus(diagnostic=draft, question=agreed, level=3, note="Vu à l'atelier.", by=owner)
    services.settle_undisputed(diagnostic=draft, by=owner)
    assert company_answers(draft)["AX1-1"] == (3, False)
    assert ConsensusDecision.objects.get(diagnostic=draft, question=agreed).note == "Vu à l'atelier."


def test_the_lead_keeps_the_undisputed_answers_from_the_page(client, draft, owner):
    client.force_login(owner)
    url = reverse("diagnostics:consensus", args=[draft.pk])
    page = client.get(url)
    assert page.context["undisputed"] == 3
    assert 'name="action" value="undisputed"' in page.content.decode()

    response = client.post(url, {"action": "undisputed"})

    assert response.status_code == 302 and response.url == url
    assert client.get(url).context["pending"] == 1


def test_a_member_who_is_not_the_lead_may_not_keep_them(client, draft, member):
    client.force_login(member)
    response = client.post(reverse("diagnostics:consensus", args=[draft.pk]), {"action": "undisputed"})
    assert response.status_code == 403
    assert not ConsensusDecision.objects.exists()


def test_someone_of_another_company_gets_a_404(client, draft, other_company_member):
    client.force_login(other_company_member)
    response = client.post(reverse("diagnostics:consensus", args=[draft.pk]), {"action": "undisputed"})
    assert response.status_code == 404
    assert not ConsensusDecision.objects.exists()
