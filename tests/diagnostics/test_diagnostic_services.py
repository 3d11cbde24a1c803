"""Start, answer and submit a diagnostic: the services and their refusals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostics import extensions, selectors, services
from diagnostics.models import Answer, AxisScore, Diagnostic, Question
from diagnostics.peer_publication import peer_group_of
from diagnostics.scoring import AnswerSpec, AxisSpec, compute_scores
from tests.diagnostics.factories import (
    AnswerFactory,
    DiagnosticFactory,
    PublishedReferentialFactory,
    ReferentialFactory,
    answer_all,
)
from tests.diagnostics.test_results import add_peers, profile_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=2, questions=3)


@pytest.fixture
def draft(company, owner, referential):
    return services.start_diagnostic(company=company, by=owner)


def expected_snapshot(diagnostic):
    answers = Answer.objects.filter(diagnostic=diagnostic).select_related("question__axis")
    return compute_scores(
        [AxisSpec(axis.code, axis.weight) for axis in diagnostic.referential.axes.all()],
        [
            AnswerSpec(a.question.code, a.question.axis.code, a.question.weight, None if a.not_applicable else a.level)
            for a in answers
        ],
    )


# --- start -----------------------------------------------------------------------------------------


def test_start_pins_the_current_published_version(company, owner):
    PublishedReferentialFactory(version="2025.1")
    current = PublishedReferentialFactory(version="2026.1")
    diagnostic = services.start_diagnostic(company=company, by=owner)
    assert diagnostic.referential == current
    assert diagnostic.status == Diagnostic.Status.DRAFT
    assert diagnostic.started_by == owner
    assert not diagnostic.answers.exists()


def test_start_refused_without_a_published_referential(company, owner):
    ReferentialFactory()  # a draft only
    with pytest.raises(services.NoPublishedReferential):
        services.start_diagnostic(company=company, by=owner)
    assert not Diagnostic.objects.exists()


def test_one_draft_at_a_time(company, owner, member, draft):
    with pytest.raises(services.DraftAlreadyExists) as refused:
        services.start_diagnostic(company=company, by=member)
    assert refused.value.draft == draft
    assert Diagnostic.objects.filter(company=company).count() == 1


def test_start_from_previous_refused_when_nothing_was_submitted(company, owner, referential):
    with pytest.raises(services.NoPreviousDiagnostic):
        services.start_diagnostic(company=company, by=owner, from_previous=True)
    assert not Diagnostic.objects.exists()


def test_start_from_previous_copies_answers_by_question_code(company, owner, member, draft):
    answer_all(draft, level=lambda q: q.pk % 6, by=member)
    Answer.objects.filter(diagnostic=draft, question__code="AX1-1").update(comment="Vu en atelier")
    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)
    new_version = PublishedReferentialFactory(version="2027.1", axes=3, questions=3)

    second = services.start_diagnostic(company=company, by=owner, from_previous=True)

    assert second.referential == new_version
    assert second.status == Diagnostic.Status.DRAFT
    old = {a.question.code: a for a in submitted.answers.select_related("question")}
    new = {a.question.code: a for a in second.answers.select_related("question")}
    assert set(new) == set(old)  # AX3-* are new questions: not answered
    for code, answer in new.items():
        assert answer.question.referential_id == new_version.pk
        assert (answer.level, answer.not_applicable, answer.comment) == (
            old[code].level,
            old[code].not_applicable,
            old[code].comment,
        )
        assert answer.answered_by == member
    assert submitted.answers.count() == 6  # the submitted diagnostic is untouched


def test_start_from_previous_skips_not_applicable_where_no_longer_allowed(company, owner, draft):
    answer_all(draft, not_applicable_where_allowed=True)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    next_version = ReferentialFactory(version="2027.1")  # a draft: its content may still change
    Question.objects.filter(referential=next_version, code="AX1-3").update(allows_not_applicable=False)
    services.publish_referential(referential=next_version)

    second = services.start_diagnostic(company=company, by=owner, from_previous=True)

    assert second.referential == next_version
    copied = set(second.answers.values_list("question__code", flat=True))
    assert copied == {"AX1-1", "AX1-2", "AX2-1", "AX2-2", "AX2-3"}  # AX1-3 was n/a, no longer allowed


# --- save_answer --------------------------------------------------------------------------------------


def question_of(diagnostic, code="AX1-1"):
    return diagnostic.referential.questions.get(code=code)


def test_save_answer_is_one_upsert(draft, owner, member):
    question = question_of(draft)
    with CaptureQueriesContext(connection) as queries:
        answer = services.save_answer(diagnostic=draft, question=question, level=2, by=owner)
    assert len(queries) == 1
    assert answer.pk and answer.answered_by == owner and answer.answered_at is not None
    with CaptureQueriesContext(connection) as queries:
        again = services.save_answer(diagnostic=draft, question=question, level=4, comment="  ok ", by=member)
    assert len(queries) == 1
    assert again.pk == answer.pk
    stored = Answer.objects.get(diagnostic=draft, question=question)
    assert (stored.level, stored.comment, stored.answered_by) == (4, "ok", member)
    assert stored.answered_at >= answer.answered_at


def test_save_answer_not_applicable_where_allowed(draft, owner):
    allowed = draft.referential.questions.filter(allows_not_applicable=True).first()
    services.save_answer(diagnostic=draft, question=allowed, not_applicable=True, by=owner)
    stored = Answer.objects.get(question=allowed)
    assert stored.not_applicable and stored.level is None and stored.is_complete


def test_save_answer_comment_only_is_an_answer_in_progress(draft, owner):
    services.save_answer(diagnostic=draft, question=question_of(draft), comment="à voir", by=owner)
    stored = Answer.objects.get()
    assert not stored.is_complete
    assert question_of(draft) in selectors.missing_questions(draft)


@pytest.mark.parametrize(
    ("level", "not_applicable"),
    [(9, False), (-1, False), (6, False), ("3", False), (True, False), (2, True)],
)
def test_save_answer_refuses_bad_levels(draft, owner, level, not_applicable):
    question = draft.referential.questions.filter(allows_not_applicable=True).first()
    with pytest.raises(services.InvalidAnswer):
        services.save_answer(diagnostic=draft, question=question, level=level, not_applicable=not_applicable, by=owner)
    assert not Answer.objects.exists()


def test_save_answer_refuses_not_applicable_where_not_allowed(draft, owner):
    question = draft.referential.questions.filter(allows_not_applicable=False).first()
    with pytest.raises(services.InvalidAnswer):
        services.save_answer(diagnostic=draft, question=question, not_applicable=True, by=owner)
    assert not Answer.objects.exists()


def test_save_answer_refuses_a_question_of_another_referential(draft, owner):
    other = PublishedReferentialFactory(code="autre-referentiel")
    with pytest.raises(services.InvalidAnswer):
        services.save_answer(diagnostic=draft, question=other.questions.first(), level=2, by=owner)
    assert not Answer.objects.exists()


def test_save_answer_refuses_a_too_long_comment(draft, owner):
    with pytest.raises(services.InvalidAnswer):
        services.save_answer(diagnostic=draft, question=question_of(draft), level=1, comment="x" * 2001, by=owner)
    assert not Answer.objects.exists()


def test_save_answer_refuses_a_submitted_diagnostic(draft, owner):
    answer_all(draft, level=2)
    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)
    with pytest.raises(services.DiagnosticNotDraft):
        services.save_answer(diagnostic=submitted, question=question_of(submitted), level=5, by=owner)
    assert set(Answer.objects.values_list("level", flat=True)) == {2}


def test_save_answer_write_is_conditional_on_the_stored_status(draft, owner):
    """The caller's copy says draft, but the diagnostic was submitted meanwhile: the upsert writes nothing."""
    stale = Diagnostic.objects.get(pk=draft.pk)
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    assert stale.status == Diagnostic.Status.DRAFT
    with pytest.raises(services.DiagnosticNotDraft):
        services.save_answer(diagnostic=stale, question=question_of(draft), level=5, by=owner)
    assert set(Answer.objects.values_list("level", flat=True)) == {2}


def test_save_answers_writes_nothing_if_one_is_refused(draft, owner):
    good = services.AnswerInput(question=question_of(draft, "AX1-1"), level=3)
    bad = services.AnswerInput(question=question_of(draft, "AX1-2"), level=9)
    with pytest.raises(services.InvalidAnswer):
        services.save_answers(diagnostic=draft, answers=[good, bad], by=owner)
    assert not Answer.objects.exists()
    saved = services.save_answers(diagnostic=draft, answers=[good], by=owner)
    assert [a.level for a in saved] == [3]


# --- submit --------------------------------------------------------------------------------------------


def test_submit_refused_when_incomplete_lists_the_missing_questions(draft, owner):
    AnswerFactory(diagnostic=draft, question=question_of(draft, "AX1-1"), level=2)
    with pytest.raises(services.IncompleteDiagnostic) as refused:
        services.submit_diagnostic(diagnostic=draft, by=owner)
    assert [q.code for q in refused.value.missing] == ["AX1-2", "AX1-3", "AX2-1", "AX2-2", "AX2-3"]
    assert "AX2-3" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == Diagnostic.Status.DRAFT and draft.scores is None
    assert not AxisScore.objects.exists()


def test_submit_stores_the_snapshot_of_compute_scores(draft, owner, member):
    answer_all(draft, level=lambda q: (q.pk * 7) % 6, by=member)
    na = draft.referential.questions.filter(allows_not_applicable=True).first()
    Answer.objects.filter(question=na).update(level=None, not_applicable=True)
    expected = expected_snapshot(draft)

    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)

    submitted.refresh_from_db()
    assert submitted.status == Diagnostic.Status.SUBMITTED
    assert submitted.submitted_by == owner and submitted.submitted_at is not None
    assert submitted.scores == expected.as_json()
    assert submitted.overall_score == expected.overall
    assert submitted.band == expected.band
    assert submitted.is_latest and submitted.previous is None
    rows = {row.axis_code: row.score for row in submitted.axis_scores.all()}
    assert rows == {code: axis.score for code, axis in expected.axes.items()}


def test_submit_twice_is_refused(draft, owner):
    answer_all(draft, level=1)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    with pytest.raises(services.DiagnosticNotDraft):
        services.submit_diagnostic(diagnostic=draft, by=owner)
    assert AxisScore.objects.count() == 2


def test_submit_flips_is_latest_and_links_previous(company, owner, draft):
    answer_all(draft, level=1)
    first = services.submit_diagnostic(diagnostic=draft, by=owner)
    second = services.start_diagnostic(company=company, by=owner, from_previous=True)
    Answer.objects.filter(diagnostic=second).update(level=4)

    second = services.submit_diagnostic(diagnostic=second, by=owner)

    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_latest and second.is_latest
    assert second.previous == first
    assert second.overall_score == Decimal("4.00") and first.overall_score == Decimal("1.00")
    assert list(Diagnostic.objects.filter(company=company, is_latest=True)) == [second]


def test_submit_runs_the_callbacks_after_commit(draft, owner, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr(extensions, "_on_submit", [])  # only this test's callback, not the apps' ones
    extensions.register_on_submit(calls.append)
    answer_all(draft, level=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_diagnostic(diagnostic=draft, by=owner)
        assert calls == []  # not before commit
    assert calls == [draft.pk]


def companies_in_cached_peer_figures(company, referential):
    """Companies behind the peer group the cache serves for this company's profile."""
    return peer_group_of(
        referential.code,
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
    ).companies


def test_submit_keeps_the_cached_peer_figures_until_a_task_replaces_them_after_commit(
    draft, owner, company, django_capture_on_commit_callbacks
):
    add_peers(draft.referential, [profile_of(company)] * 12)
    assert companies_in_cached_peer_figures(company, draft.referential) == 12  # cached
    answer_all(draft, level=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_diagnostic(diagnostic=draft, by=owner)
        assert companies_in_cached_peer_figures(company, draft.referential) == 12  # still served, not cleared
    assert companies_in_cached_peer_figures(company, draft.referential) == 13  # the task ran after commit


def test_a_scoring_snapshot_never_changes_with_later_answers_attempts(draft, owner):
    answer_all(draft, level=5)
    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)
    with pytest.raises(services.DiagnosticNotDraft):
        services.save_answers(
            diagnostic=submitted, answers=[services.AnswerInput(question=question_of(draft), level=0)], by=owner
        )
    submitted.refresh_from_db()
    assert submitted.overall_score == Decimal("5.00")


def test_draft_of_a_factory_diagnostic(company, owner):
    diagnostic = DiagnosticFactory(company=company)
    assert diagnostic.started_by == owner
    assert selectors.draft_of(company) == diagnostic
