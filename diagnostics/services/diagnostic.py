"""Writes of a company's self-diagnostic: start, answer, submit.

- `start_diagnostic` opens a draft on the current published referential version (one draft per
  company), optionally pre-filled with the previous submitted diagnostic's answers;
- `save_answer` is the autosave: ONE conditional upsert statement, which writes nothing once the
  diagnostic is submitted (even if the submit commits between the caller's checks and the write);
- `submit_diagnostic` locks the diagnostic, checks its core is complete (and, with several respondents,
  that the lead settled every question they answered: diagnostics.services.respondents), computes the score snapshot once
  with `diagnostics.scoring.compute_scores` and makes it the company's latest diagnostic.
"""

from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics import selectors
from diagnostics.exceptions import (
    ConsensusPending,
    DiagnosticNotDraft,
    DraftAlreadyExists,
    IncompleteDiagnostic,
    InvalidAnswer,
    NoPreviousDiagnostic,
    NoPublishedReferential,
)
from diagnostics.extensions import on_submit_callbacks
from diagnostics.models import DEFAULT_REFERENTIAL_CODE, LEVELS, Answer, AxisScore, Diagnostic
from diagnostics.peer_cells import count_submit
from diagnostics.peer_publication import schedule_refresh
from diagnostics.scoring import compute_scores
from diagnostics.selectors.modules import scoring_inputs
from diagnostics.selectors.results import forget_results
from diagnostics.selectors.trend import forget_company_trend
from diagnostics.services.evidence import copy_evidence
from diagnostics.services.plan import ensure_plan
from portal.models import Company

COMMENT_MAX_LENGTH = Answer._meta.get_field("comment").max_length

ANSWER_FIELDS = ("diagnostic", "question", "level", "not_applicable", "comment", "answered_by", "answered_at")


@transaction.atomic
def start_diagnostic(*, company, by, from_previous=False, referential_code=DEFAULT_REFERENTIAL_CODE):
    """Open a draft on the current published version; with `from_previous`, copy the answers of the
    company's latest submitted diagnostic to the questions with the same code in that version, with
    their evidence (`copy_evidence`: links, and files copied under the draft's own keys).

    Copied answers keep who gave them and when. Raises `NoPublishedReferential`, `DraftAlreadyExists`,
    `NoPreviousDiagnostic`.
    """
    # The company row lock serialises two members starting at once (the unique constraint backs it up).
    Company.objects.select_for_update().filter(pk=company.pk).first()
    referential = selectors.current_published_referential(referential_code)
    if referential is None:
        raise NoPublishedReferential(_("No version of the referential is published yet: a diagnostic cannot start."))
    draft = selectors.draft_of(company)
    if draft is not None:
        raise DraftAlreadyExists(_("This company already has a diagnostic in progress: carry on with it."), draft)
    previous = selectors.latest_submitted(company)
    if from_previous and previous is None:
        raise NoPreviousDiagnostic(_("This company has not submitted a diagnostic yet: there are no answers to copy."))
    try:
        with transaction.atomic():
            diagnostic = Diagnostic.objects.create(company=company, referential=referential, started_by=by)
    except IntegrityError as error:
        raise DraftAlreadyExists(
            _("This company already has a diagnostic in progress: carry on with it."), selectors.draft_of(company)
        ) from error
    if from_previous:
        _copy_answers(source=previous, target=diagnostic)
        copy_evidence(source=previous, target=diagnostic)
    return diagnostic


def _copy_answers(*, source, target):
    questions = {
        question.code: question
        for question in target.referential.questions.only("pk", "code", "allows_not_applicable", "referential_id")
    }
    copies = []
    for answer in source.answers.select_related("question").only(
        "level", "not_applicable", "comment", "answered_by_id", "answered_at", "question__code"
    ):
        question = questions.get(answer.question.code)
        if question is None or (answer.not_applicable and not question.allows_not_applicable):
            continue
        copies.append(
            Answer(
                diagnostic=target,
                question=question,
                level=answer.level,
                not_applicable=answer.not_applicable,
                comment=answer.comment,
                answered_by_id=answer.answered_by_id,
                answered_at=answer.answered_at,
            )
        )
    Answer.objects.bulk_create(copies)


def check_answer(*, diagnostic, question, level=None, not_applicable=False, comment=""):
    """Raise `DiagnosticNotDraft` or `InvalidAnswer` if this answer may not be saved. No query."""
    if diagnostic.status != Diagnostic.Status.DRAFT:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its answers can no longer change."))
    if question.referential_id != diagnostic.referential_id:
        raise InvalidAnswer(_("This question does not belong to this diagnostic's referential version."))
    if level is not None and (isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS):
        raise InvalidAnswer(_("Choose a level between 0 and 5."))
    if not_applicable and level is not None:
        raise InvalidAnswer(_("Choose either a level or “not applicable”, not both."))
    if not_applicable and not question.allows_not_applicable:
        raise InvalidAnswer(_("This question cannot be answered “not applicable”."))
    if len(comment or "") > COMMENT_MAX_LENGTH:
        raise InvalidAnswer(_("The comment is too long (%(max)s characters at most).") % {"max": COMMENT_MAX_LENGTH})


def _upsert_answer_sql():
    """INSERT … SELECT … WHERE the diagnostic is a draft … ON CONFLICT DO UPDATE: one statement.

    On PostgreSQL the draft check takes a share lock on the diagnostic row, so it waits for a
    concurrent submit (which holds the row for update) and then sees it submitted; SQLite runs one
    writer at a time, so the check always sees the committed status.
    """
    qn = connection.ops.quote_name
    answer = {name: qn(Answer._meta.get_field(name).column) for name in ANSWER_FIELDS}
    diagnostic_id, diagnostic_status = (qn(Diagnostic._meta.get_field(name).column) for name in ("id", "status"))
    updated = ", ".join(f"{answer[name]} = excluded.{answer[name]}" for name in ANSWER_FIELDS[2:])
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    return (
        f"INSERT INTO {qn(Answer._meta.db_table)} ({', '.join(answer.values())}) "
        f"SELECT {', '.join(['%s'] * len(ANSWER_FIELDS))} WHERE EXISTS "
        f"(SELECT 1 FROM {qn(Diagnostic._meta.db_table)} WHERE {diagnostic_id} = %s AND {diagnostic_status} = %s{lock}) "
        f"ON CONFLICT ({answer['diagnostic']}, {answer['question']}) DO UPDATE SET {updated} "
        f"RETURNING {qn(Answer._meta.pk.column)}"
    )


def save_answer(*, diagnostic, question, level=None, not_applicable=False, comment="", by):
    """Store one answer (create or replace it): ONE upsert statement, atomic by itself.

    Refuses (changing nothing) a submitted diagnostic, a question of another referential version,
    a level outside 0..5, "not applicable" where the question does not allow it. A level of None and
    not applicable False is an answer in progress (e.g. only a comment): it does not count as answered.
    Returns the saved `Answer`.
    """
    comment = (comment or "").strip()
    check_answer(diagnostic=diagnostic, question=question, level=level, not_applicable=not_applicable, comment=comment)
    now = timezone.now()
    field = Answer._meta.get_field
    params = [
        diagnostic.pk,
        question.pk,
        level,
        bool(not_applicable),
        comment,
        by.pk,
        field("answered_at").get_db_prep_save(now, connection),
        diagnostic.pk,
        Diagnostic.Status.DRAFT.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_answer_sql(), params)
        row = cursor.fetchone()
    if row is None:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its answers can no longer change."))
    answer = Answer(
        pk=row[0],
        diagnostic=diagnostic,
        question=question,
        level=level,
        not_applicable=bool(not_applicable),
        comment=comment,
        answered_by=by,
        answered_at=now,
    )
    answer._state.adding = False
    return answer


@dataclass(frozen=True)
class AnswerInput:
    question: object
    level: int | None = None
    not_applicable: bool = False
    comment: str = ""


def check_then_save_all(*, diagnostic, answers, save, by):
    """Lock the diagnostic, check every answer (`AnswerInput`s) and only then store each through `save`
    (`save_answer` for the company's answers, a respondent's own saver for theirs): nothing is written
    if one is refused. Call it inside a transaction; returns the saved answers."""
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    for item in answers:
        check_answer(
            diagnostic=row,
            question=item.question,
            level=item.level,
            not_applicable=item.not_applicable,
            comment=(item.comment or "").strip(),
        )
    return [
        save(
            diagnostic=row,
            question=item.question,
            level=item.level,
            not_applicable=item.not_applicable,
            comment=item.comment,
            by=by,
        )
        for item in answers
    ]


@transaction.atomic
def save_answers(*, diagnostic, answers, by):
    """Store several answers at once (the questionnaire page posted without JavaScript).

    Checks every answer first and writes nothing if one is refused; returns the saved answers.
    """
    return check_then_save_all(diagnostic=diagnostic, answers=answers, save=save_answer, by=by)


@transaction.atomic
def submit_diagnostic(*, diagnostic, by):
    """Freeze a complete draft and store its score snapshot; it becomes the company's latest diagnostic.

    Raises `DiagnosticNotDraft` (already submitted), `IncompleteDiagnostic` (listing the core questions
    still to answer) or `ConsensusPending` (questions respondents answered whose company answer the
    lead has not set yet); the company's answers, consensus included, are the ones scored: the core and
    the answers of the opened modules. The peer cells count it at once; after commit, a refresh of the published peer
    figures is scheduled and the `register_on_submit` callbacks run with the diagnostic's id.
    """
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if row.status != Diagnostic.Status.DRAFT:
        raise DiagnosticNotDraft(_("This diagnostic has already been submitted."))
    missing = selectors.missing_questions(row)
    if missing:
        raise IncompleteDiagnostic(missing)
    pending = selectors.questions_awaiting_consensus(row)
    if pending:
        raise ConsensusPending(pending)

    axes, answers, opened_modules = scoring_inputs(row)
    snapshot = compute_scores(axes, answers, opened_modules=opened_modules)

    previous = (
        Diagnostic.objects.select_for_update().filter(company_id=row.company_id, is_latest=True).exclude(pk=row.pk)
    ).first()
    if previous is not None:
        Diagnostic.objects.filter(pk=previous.pk).update(is_latest=False)

    row.status = Diagnostic.Status.SUBMITTED
    row.submitted_by = by
    row.submitted_at = timezone.now()
    row.scores = snapshot.as_json()
    row.overall_score = snapshot.overall
    row.band = snapshot.band
    row.previous = previous
    row.is_latest = True
    row.save(
        update_fields=[
            "status",
            "submitted_by",
            "submitted_at",
            "scores",
            "overall_score",
            "band",
            "previous",
            "is_latest",
        ]
    )
    axis_scores = {axis.code: snapshot.axes[axis.code].score for axis in axes}
    AxisScore.objects.bulk_create(
        AxisScore(diagnostic=row, axis_code=code, score=score) for code, score in axis_scores.items()
    )
    # The peer cells count it in place of the previous one, in this transaction (a few statements
    # whatever the population); what may be published is decided again in the background, after commit.
    count_submit(diagnostic=row, axis_scores=axis_scores, previous=previous)
    transaction.on_commit(partial(schedule_refresh, row.referential.code))
    transaction.on_commit(partial(forget_company_trend, row.company_id))
    forget_results(row.pk)
    for callback in on_submit_callbacks():
        transaction.on_commit(partial(callback, row.pk))
    ensure_plan(diagnostic=row, by=by)  # the roadmap, from the answers and the peer figures of the day
    return row
