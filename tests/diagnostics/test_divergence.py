"""The divergence between respondents: who answered what, the spread, the flag, a query count that does
not grow with the number of respondents, and who may see it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from diagnostics import selectors, services
from diagnostics.models import RespondentFunction
from portal.models import Invitation
from portal.services import accept_invitation
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.portal.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 12


def diagnostic_with_respondents(company, owner, count, version):
    """A draft whose `count` respondents (the owner included) answered every question, levels spread out."""
    PublishedReferentialFactory(axes=2, questions=3, version=version)
    draft = services.start_diagnostic(company=company, by=owner)
    users = [owner] + [MembershipFactory(company=company).user for _ in range(count - 1)]
    for user in users[1:]:
        services.invite_respondent(diagnostic=draft, function=RespondentFunction.PRODUCTION, user=user, by=owner)
    for index, user in enumerate(users):
        for question in draft.referential.questions.all():
            services.save_respondent_answer(diagnostic=draft, question=question, level=index % 6, by=user)
    return draft


def page_queries(user, url):
    client = Client()
    client.force_login(user)
    client.get(url)  # warm what is per-process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_divergence_lists_who_answered_what_with_the_spread(company, owner, member):
    PublishedReferentialFactory(axes=1, questions=2)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)
    close, far = draft.referential.questions.order_by("order")
    services.save_respondent_answer(diagnostic=draft, question=close, level=2, by=owner)
    services.save_respondent_answer(diagnostic=draft, question=close, level=3, by=member)
    services.save_respondent_answer(diagnostic=draft, question=far, level=1, by=owner)
    services.save_respondent_answer(diagnostic=draft, question=far, level=4, comment="robots", by=member)

    with translation.override("en"):
        [axis] = selectors.divergence_for(draft)

    first, second = axis.questions
    assert (first.spread, first.diverges) == (1, False)
    assert (second.spread, second.diverges) == (3, True)
    assert [(view.name, view.function, view.level) for view in second.answers] == [
        (str(owner), "management", 1),
        (str(member), "quality", 4),
    ]
    assert second.answers[1].comment == "robots"
    assert (axis.spread, axis.diverging_count) == (3, 1)


def test_not_applicable_answers_count_without_a_spread(company, owner, member):
    PublishedReferentialFactory(axes=1, questions=1)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)
    question = draft.referential.questions.get()
    question.allows_not_applicable = True
    services.save_respondent_answer(diagnostic=draft, question=question, not_applicable=True, by=member)

    [axis] = selectors.divergence_for(draft)

    assert (axis.questions[0].spread, axis.questions[0].diverges) == (None, False)


def test_divergence_page_runs_the_same_queries_with_2_and_6_respondents(company, owner):
    counts = []
    for respondents, version in ((2, "2026.1"), (6, "2026.2")):
        draft = diagnostic_with_respondents(company, owner, respondents, version)
        counts.append(page_queries(owner, reverse("diagnostics:divergence", args=[draft.pk])))
        draft.delete()
    assert counts[0] == counts[1] <= PAGE_BUDGET


def test_consensus_page_runs_the_same_queries_with_2_and_6_respondents(company, owner):
    counts = []
    for respondents, version in ((2, "2026.1"), (6, "2026.2")):
        draft = diagnostic_with_respondents(company, owner, respondents, version)
        counts.append(page_queries(owner, reverse("diagnostics:consensus", args=[draft.pk])))
        draft.delete()
    assert counts[0] == counts[1] <= PAGE_BUDGET


def test_divergence_page_flags_the_diverging_questions(client, company, owner):
    draft = diagnostic_with_respondents(company, owner, 3, "2026.1")
    client.force_login(owner)
    response = client.get(reverse("diagnostics:divergence", args=[draft.pk]))
    assert response.context["diverging_count"] == 6
    assert response.content.decode().count('class="badge text-bg-warning"') == 6


def test_a_member_who_is_not_the_lead_sees_the_divergence_but_not_the_consensus(client, company, owner, member):
    draft = diagnostic_with_respondents(company, owner, 2, "2026.1")
    client.force_login(member)
    assert client.get(reverse("diagnostics:divergence", args=[draft.pk])).status_code == 200
    assert client.get(reverse("diagnostics:consensus", args=[draft.pk])).status_code == 403


def test_a_person_of_another_company_gets_a_404(client, company, owner, other_company_member):
    draft = diagnostic_with_respondents(company, owner, 2, "2026.1")
    client.force_login(other_company_member)
    for name in ("divergence", "consensus", "respondents"):
        assert client.get(reverse(f"diagnostics:{name}", args=[draft.pk])).status_code == 404


def test_a_colleague_invited_by_email_answers_on_their_own_once_they_joined(client, company, owner):
    PublishedReferentialFactory(axes=1, questions=1)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.IT, email="dsi@example.fr", by=owner)
    invitation = Invitation.objects.get(email="dsi@example.fr")
    token = "a-known-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=Invitation.hash_token(token))
    colleague = UserFactory(email="dsi@example.fr")
    accept_invitation(token=token, user=colleague)
    question = draft.referential.questions.get()
    client.force_login(colleague)

    response = client.post(
        reverse("diagnostics:autosave", args=[draft.pk, question.pk]), {f"q{question.pk}-choice": "4"}
    )

    assert response.status_code == 200
    with translation.override("en"):
        [axis] = selectors.divergence_for(draft)
    assert [(view.name, view.function, view.level) for view in axis.questions[0].answers] == [(str(colleague), "IT", 4)]


def test_the_results_link_to_the_divergence_only_when_colleagues_answered(client, company, owner, member):
    draft = diagnostic_with_respondents(company, owner, 2, "2026.1")
    for question in draft.referential.questions.all():
        services.set_consensus(diagnostic=draft, question=question, level=2, by=owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    client.force_login(member)
    response = client.get(reverse("diagnostics:results", args=[draft.pk]))
    assert response.context["can_view_divergence"] is True
    assert reverse("diagnostics:divergence", args=[draft.pk]) in response.content.decode()


def test_a_respondents_axis_page_runs_the_same_queries_with_2_and_6_respondents(company, owner):
    counts = []
    for respondents, version in ((2, "2026.1"), (6, "2026.2")):
        draft = diagnostic_with_respondents(company, owner, respondents, version)
        counts.append(page_queries(owner, reverse("diagnostics:axis", args=[draft.pk, "AX1"])))
        draft.delete()
    assert counts[0] == counts[1] <= PAGE_BUDGET


def test_the_review_and_modules_pages_run_the_same_queries_with_2_and_6_respondents(company, owner):
    for name in ("review", "modules"):
        counts = []
        for respondents, version in ((2, f"{name}.2"), (6, f"{name}.6")):
            draft = diagnostic_with_respondents(company, owner, respondents, version)
            counts.append(page_queries(owner, reverse(f"diagnostics:{name}", args=[draft.pk])))
            draft.delete()
        assert counts[0] == counts[1] <= 14, name
