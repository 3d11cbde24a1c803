"""Several respondents: invitations, each one's own answers (never another's), the consensus and the submit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diagnostics import selectors, services
from diagnostics.models import Answer, ConsensusDecision, Diagnostic, Respondent, RespondentAnswer, RespondentFunction
from diagnostics.privacy import export_diagnostics, purge_abandoned_drafts
from portal.models import Invitation
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.portal.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(company, owner):
    PublishedReferentialFactory(axes=2, questions=2)
    return services.start_diagnostic(company=company, by=owner)


def question(diagnostic, code):
    return diagnostic.referential.questions.get(code=code)


def invite(diagnostic, lead, user, function=RespondentFunction.QUALITY, axis_codes=()):
    return services.invite_respondent(
        diagnostic=diagnostic, function=function, user=user, axis_codes=axis_codes, by=lead
    )


def test_first_invitation_makes_the_lead_a_respondent_with_the_answers_given_so_far(draft, owner, member):
    services.save_answer(diagnostic=draft, question=question(draft, "AX1-1"), level=2, comment="vu", by=owner)

    invite(draft, owner, member, axis_codes=["AX2"])

    assert {(r.user, r.function) for r in Respondent.objects.filter(diagnostic=draft)} == {
        (owner, RespondentFunction.DIRECTION),
        (member, RespondentFunction.QUALITY),
    }
    own = RespondentAnswer.objects.get(diagnostic=draft, respondent=owner)
    assert (own.question.code, own.level, own.comment) == ("AX1-1", 2, "vu")
    assert Answer.objects.get(diagnostic=draft).level == 2
    assert Respondent.objects.get(user=member).axis_codes == ["AX2"]


def test_inviting_by_email_sends_a_portal_invitation(draft, owner, company):
    respondent = services.invite_respondent(
        diagnostic=draft, function=RespondentFunction.IT, email="Info@Example.fr", by=owner
    )
    assert respondent.user is None and respondent.email == "info@example.fr"
    assert Invitation.objects.filter(company=company, email="info@example.fr").exists()


def test_a_member_who_started_the_diagnostic_may_not_invite_someone_outside_the_company(company, member):
    PublishedReferentialFactory(axes=2, questions=2)
    draft = services.start_diagnostic(company=company, by=member)
    with pytest.raises(services.RespondentRefused):
        services.invite_respondent(diagnostic=draft, function=RespondentFunction.IT, email="x@example.fr", by=member)
    assert not Respondent.objects.exists()
    assert not Invitation.objects.exists()


def test_the_same_person_cannot_be_invited_twice(draft, owner, member):
    invite(draft, owner, member)
    with pytest.raises(services.RespondentRefused):
        services.invite_respondent(diagnostic=draft, function=RespondentFunction.HR, email=member.email, by=owner)
    assert Respondent.objects.filter(user=member).count() == 1


def test_an_unknown_axis_is_refused_and_nothing_is_written(draft, owner, member):
    with pytest.raises(services.RespondentRefused):
        invite(draft, owner, member, axis_codes=["NOPE"])
    assert not Respondent.objects.exists()


def test_a_person_of_another_company_cannot_be_a_respondent(draft, owner, other_company_member):
    with pytest.raises(services.RespondentRefused):
        invite(draft, owner, other_company_member)


def test_respondent_b_saving_never_changes_respondent_a_row(draft, owner, member):
    invite(draft, owner, member)
    asked = question(draft, "AX1-1")
    mine = services.save_respondent_answer(diagnostic=draft, question=asked, level=1, comment="A", by=owner)
    before = RespondentAnswer.objects.values().get(pk=mine.pk)

    services.save_respondent_answer(diagnostic=draft, question=asked, level=5, comment="B", by=member)
    services.save_respondent_answer(diagnostic=draft, question=asked, level=4, comment="B again", by=member)

    assert RespondentAnswer.objects.values().get(pk=mine.pk) == before
    theirs = RespondentAnswer.objects.get(diagnostic=draft, respondent=member, question=asked)
    assert (theirs.level, theirs.comment) == (4, "B again")
    assert not Answer.objects.filter(diagnostic=draft).exists()


def test_a_respondent_cannot_answer_a_submitted_diagnostic(draft, owner, member):
    invite(draft, owner, member)
    draft.status = draft.Status.SUBMITTED
    with pytest.raises(services.DiagnosticNotDraft):
        services.save_respondent_answer(diagnostic=draft, question=question(draft, "AX1-1"), level=1, by=member)


def test_autosave_with_respondents_writes_only_the_users_own_row_in_three_queries(client, draft, owner, member):
    invite(draft, owner, member)
    asked = question(draft, "AX1-2")
    services.save_respondent_answer(diagnostic=draft, question=asked, level=0, by=owner)
    client.force_login(member)
    url = reverse("diagnostics:autosave", args=[draft.pk, asked.pk])
    client.post(url, {f"q{asked.pk}-choice": "1"})  # warm what is per-process
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {f"q{asked.pk}-choice": "3", f"q{asked.pk}-comment": "chez nous"})
    assert response.status_code == 200
    assert len(queries) <= 3
    assert RespondentAnswer.objects.get(respondent=member, question=asked).level == 3
    assert RespondentAnswer.objects.get(respondent=owner, question=asked).level == 0
    assert not Answer.objects.filter(diagnostic=draft).exists()


def test_each_member_sees_their_own_answers_and_assigned_axes_first(client, draft, owner, member):
    invite(draft, owner, member, axis_codes=["AX2"])
    asked = question(draft, "AX1-1")
    services.save_respondent_answer(diagnostic=draft, question=asked, level=5, by=owner)
    services.save_respondent_answer(diagnostic=draft, question=asked, level=1, by=member)
    client.force_login(member)

    assert client.get(reverse("diagnostics:detail", args=[draft.pk])).url.endswith("/axe/AX2/")
    page = client.get(reverse("diagnostics:axis", args=[draft.pk, "AX1"])).context["page"]
    assert page.answers[asked.pk].level == 1
    assert [axis.code for axis in page.axes] == ["AX2", "AX1"]


def test_submit_waits_for_the_consensus_where_respondents_answered(draft, owner, member):
    invite(draft, owner, member)
    for asked in draft.referential.questions.all():
        services.save_respondent_answer(diagnostic=draft, question=asked, level=1, by=member)
    with pytest.raises(services.IncompleteDiagnostic):
        services.submit_diagnostic(diagnostic=draft, by=owner)
    for asked in draft.referential.questions.exclude(code="AX2-2"):
        services.set_consensus(diagnostic=draft, question=asked, level=1, by=owner)
    services.save_answer(diagnostic=draft, question=question(draft, "AX2-2"), level=1, by=owner)

    with pytest.raises(services.ConsensusPending) as refused:
        services.submit_diagnostic(diagnostic=draft, by=owner)
    assert [q.code for q in refused.value.pending] == ["AX2-2"]


def test_submit_scores_the_consensus_answers(draft, owner, member):
    invite(draft, owner, member)
    for asked in draft.referential.questions.all():
        services.save_respondent_answer(diagnostic=draft, question=asked, level=1, by=member)
        services.save_respondent_answer(diagnostic=draft, question=asked, level=2, by=owner)
        services.set_consensus(diagnostic=draft, question=asked, level=4, note="atelier du 3", by=owner)

    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)

    assert submitted.overall_score == 4
    decision = ConsensusDecision.objects.filter(diagnostic=draft).first()
    assert (decision.decided_by, decision.note) == (owner, "atelier du 3")
    assert set(Answer.objects.filter(diagnostic=draft).values_list("level", "answered_by", "comment")) == {
        (4, owner.pk, "atelier du 3")
    }


def test_consensus_needs_a_level_and_writes_nothing_without(draft, owner, member):
    invite(draft, owner, member)
    with pytest.raises(services.InvalidAnswer):
        services.set_consensus(diagnostic=draft, question=question(draft, "AX1-1"), level=None, by=owner)
    assert not ConsensusDecision.objects.exists()
    assert not Answer.objects.exists()


def test_consensus_is_prefilled_with_the_leads_answer_else_the_median(draft, owner, member, company):
    others = [MembershipFactory(company=company).user for _ in range(2)]
    invite(draft, owner, member)
    for user in others:
        invite(draft, owner, user, function=RespondentFunction.PRODUCTION)
    first, second = question(draft, "AX1-1"), question(draft, "AX1-2")
    for user, level in zip([owner, member, *others], [5, 0, 1, 4], strict=True):
        services.save_respondent_answer(diagnostic=draft, question=first, level=level, by=user)
    for user, level in zip([member, *others], [0, 3, 4], strict=True):
        services.save_respondent_answer(diagnostic=draft, question=second, level=level, by=user)

    rows = {row.divergence.question.code: row for _axis, rows in selectors.consensus_rows(draft, owner) for row in rows}

    assert rows["AX1-1"].prefill_level == 5
    assert rows["AX1-2"].prefill_level == 3


def test_member_who_is_not_the_lead_cannot_set_the_consensus(client, draft, owner, member):
    invite(draft, owner, member)
    asked = question(draft, "AX1-1")
    services.save_respondent_answer(diagnostic=draft, question=asked, level=2, by=member)
    client.force_login(member)
    url = reverse("diagnostics:consensus", args=[draft.pk])
    response = client.post(url, {"question": asked.pk, f"q{asked.pk}-choice": "2"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_lead_sets_the_consensus_from_the_page(client, draft, owner, member):
    invite(draft, owner, member)
    asked = question(draft, "AX1-1")
    services.save_respondent_answer(diagnostic=draft, question=asked, level=2, by=member)
    client.force_login(owner)
    url = reverse("diagnostics:consensus", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"question": asked.pk, f"q{asked.pk}-choice": "3", f"q{asked.pk}-comment": "vu ensemble"}
    )
    assert response.status_code == 302
    answer = Answer.objects.get(diagnostic=draft, question=asked)
    assert (answer.level, answer.comment, answer.answered_by) == (3, "vu ensemble", owner)


def test_consensus_post_of_a_question_nobody_answered_changes_nothing(client, draft, owner, member):
    invite(draft, owner, member)
    client.force_login(owner)
    asked = question(draft, "AX1-1")
    response = client.post(reverse("diagnostics:consensus", args=[draft.pk]), {"question": asked.pk})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_lead_invites_a_member_from_the_page(client, draft, owner, member):
    client.force_login(owner)
    url = reverse("diagnostics:respondents", args=[draft.pk])
    response = client.post(url, {"member": member.pk, "function": "production", "axes": ["AX1"]})
    assert response.status_code == 302
    assert Respondent.objects.get(user=member).function == "production"


def test_invite_form_needs_a_member_or_an_address(client, draft, owner):
    client.force_login(owner)
    response = client.post(reverse("diagnostics:respondents", args=[draft.pk]), {"function": "production"})
    assert response.status_code == 400
    assert not Respondent.objects.exists()


def test_member_who_is_not_the_lead_cannot_invite(client, draft, member):
    client.force_login(member)
    response = client.post(
        reverse("diagnostics:respondents", args=[draft.pk]), {"member": member.pk, "function": "production"}
    )
    assert response.status_code == 403
    assert not Respondent.objects.exists()


def test_a_draft_only_respondents_answered_lately_is_not_purged(draft, owner, member, settings):
    invite(draft, owner, member)
    long_ago = timezone.now() - timedelta(days=settings.RETENTION_DRAFT_DAYS + 30)
    Diagnostic.objects.filter(pk=draft.pk).update(started_at=long_ago)
    services.save_respondent_answer(diagnostic=draft, question=question(draft, "AX1-1"), level=2, by=member)

    purge_abandoned_drafts(now=timezone.now())

    assert Diagnostic.objects.filter(pk=draft.pk).exists()


def test_the_company_export_holds_the_respondents_answers_and_the_consensus(draft, owner, member, company):
    invite(draft, owner, member)
    asked = question(draft, "AX1-1")
    services.save_respondent_answer(diagnostic=draft, question=asked, level=2, comment="mine", by=member)
    services.set_consensus(diagnostic=draft, question=asked, level=3, note="why", by=owner)

    [exported] = export_diagnostics(company).data["diagnostics"]

    assert {(r["user"], r["function"]) for r in exported["respondents"]} == {
        (owner.pk, "direction"),
        (member.pk, "quality"),
    }
    assert [(a["respondent"], a["level"], a["comment"]) for a in exported["respondent_answers"]] == [
        (member.pk, 2, "mine")
    ]
    assert [(c["question"], c["note"], c["decided_by"]) for c in exported["consensus"]] == [("AX1-1", "why", owner.pk)]


def test_once_submitted_members_read_the_company_answers_not_their_own(client, draft, owner, member):
    invite(draft, owner, member)
    for asked in draft.referential.questions.all():
        services.save_respondent_answer(diagnostic=draft, question=asked, level=0, by=member)
        services.set_consensus(diagnostic=draft, question=asked, level=4, by=owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    client.force_login(member)

    page = client.get(reverse("diagnostics:axis", args=[draft.pk, "AX1"])).context["page"]

    assert {answer.level for answer in page.answers.values()} == {4}


def test_an_invited_member_is_told_once_by_email(draft, owner, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        respondent = invite(draft, owner, member, axis_codes=["AX2"])

    assert [message.to for message in mail.outbox] == [[member.email]]
    assert reverse("diagnostics:detail", args=[draft.pk]) in mail.outbox[0].body
    assert "AX2" in mail.outbox[0].body
    assert services.respondents.send_respondent_email(respondent.pk) == 0  # a second delivery sends nothing
    assert len(mail.outbox) == 1


def test_the_sweeper_enqueues_again_the_emails_of_members_not_told(draft, owner, member):
    respondent = invite(draft, owner, member)
    later = timezone.now() + timedelta(minutes=10)

    enqueued = services.respondents.sweep_respondent_emails(later - timedelta(days=1), later)

    assert enqueued == 1
    assert Respondent.objects.get(pk=respondent.pk).notified_at is not None
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_the_review_page_sends_the_lead_to_the_consensus_and_holds_the_submit(client, draft, owner, member):
    invite(draft, owner, member)
    services.save_respondent_answer(diagnostic=draft, question=question(draft, "AX1-1"), level=2, by=member)
    client.force_login(owner)

    response = client.get(reverse("diagnostics:review", args=[draft.pk]))

    page = response.content.decode()
    assert [q.code for q in response.context["respondents"]["pending"]] == ["AX1-1"]
    assert reverse("diagnostics:consensus", args=[draft.pk]) in page
    assert 'aria-describedby="submit-help" disabled' in page
