"""Writes of a diagnostic answered by several respondents: invite, answer on one's own, settle the consensus.

- `invite_respondent`: the lead asks a member of the company, or someone by e-mail (a portal
  invitation to join the company), to answer, with a function and optionally some axes. The first
  invitation switches the diagnostic to several respondents: the lead becomes a respondent too, and the
  company's answers given so far become the lead's own;
- `save_respondent_answer`: the autosave of one respondent, ONE conditional upsert on the
  (diagnostic, respondent, question) key, which can only ever write the caller's own row;
- `set_consensus`: the lead sets the company's `Answer` to a question the respondents answered, with a
  note; `diagnostics.services.submit_diagnostic` refuses while a question awaits it;
- `settle_undisputed`: the lead keeps, in one step, the answer of every question nobody disputes.
"""

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.exceptions import DiagnosticNotDraft, InvalidAnswer, RespondentRefused
from diagnostics.models import (
    Answer,
    ConsensusDecision,
    Diagnostic,
    Respondent,
    RespondentAnswer,
    RespondentFunction,
)
from diagnostics.selectors.respondents import consensus_rows
from diagnostics.services.diagnostic import check_answer, check_then_save_all, save_answer
from portal.background import SWEEP_BATCH, enqueue, enqueue_after_commit
from portal.models import Membership, User
from portal.notifications import Recipient, notify_once, site_link
from portal.rules import can_invite_colleague
from portal.services import invite_colleague

RESPONDENT_ANSWER_FIELDS = ("diagnostic", "respondent", "question", "level", "not_applicable", "comment", "answered_at")


def _locked_draft(diagnostic):
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if row.status != Diagnostic.Status.DRAFT:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its answers can no longer change."))
    return row


@transaction.atomic
def invite_respondent(*, diagnostic, function, by, user=None, email="", axis_codes=()):
    """Ask `user` (a member of the company) or the person at `email` to answer the diagnostic on their own.

    An e-mail address of a member is that member; any other address gets a portal invitation to join
    the company (only the company's owners may invite someone into it). Raises `DiagnosticNotDraft`
    or `RespondentRefused` (unknown function or axis, not a member, already a respondent), writing nothing.
    A member is told by e-mail after commit (`send_respondent_email`). Returns the `Respondent`.
    """
    row = _locked_draft(diagnostic)
    if function not in RespondentFunction.values:
        raise RespondentRefused(_("Choose the respondent's function from the list."))
    known_axes = set(row.referential.axes.values_list("code", flat=True))
    unknown = sorted(set(axis_codes) - known_axes)
    if unknown:
        raise RespondentRefused(_("Unknown axis: %(codes)s.") % {"codes": ", ".join(unknown)})
    members = Membership.objects.filter(company_id=row.company_id)
    if user is None:
        email = (email or "").strip().lower()
        if not email:
            raise RespondentRefused(_("Choose a member of the company or give an e-mail address."))
        user = User.objects.filter(email__iexact=email, memberships__company_id=row.company_id).first()
    elif not members.filter(user=user).exists():
        raise RespondentRefused(_("This person is not a member of the company."))
    if user is not None:
        email = user.email.lower()
    if Respondent.objects.filter(diagnostic=row, email__iexact=email).exists() or (
        user is not None and Respondent.objects.filter(diagnostic=row, user=user).exists()
    ):
        raise RespondentRefused(_("This person is already a respondent of this diagnostic."))
    if user is None:
        if not can_invite_colleague.test(by, row.company):
            raise RespondentRefused(
                _("Only the company's owners may invite someone who is not a member yet: choose a member.")
            )
        invite_colleague(company=row.company, email=email, by=by)
    if not Respondent.objects.filter(diagnostic=row).exists():
        _become_several_respondents(diagnostic=row, lead=by)
    told = user is None or user == by  # the portal invitation tells the former; the lead knows
    respondent = Respondent.objects.create(
        diagnostic=row,
        user=user,
        email=email,
        function=function,
        axis_codes=sorted(set(axis_codes)),
        invited_by=by,
        notified_at=timezone.now() if told else None,
    )
    if not told:
        from diagnostics.tasks import notify_respondent

        enqueue_after_commit(notify_respondent, respondent.pk)
    return respondent


def _become_several_respondents(*, diagnostic, lead):
    """The lead answered for the company so far: those answers become the lead's own (the company's
    answers stay, and prefill nothing else). The lead is listed as the management respondent."""
    Respondent.objects.create(
        diagnostic=diagnostic,
        user=lead,
        email=lead.email.lower(),
        function=RespondentFunction.DIRECTION,
        invited_by=lead,
        notified_at=timezone.now(),
    )
    RespondentAnswer.objects.bulk_create(
        RespondentAnswer(
            diagnostic=diagnostic,
            respondent=lead,
            question_id=answer.question_id,
            level=answer.level,
            not_applicable=answer.not_applicable,
            comment=answer.comment,
            answered_at=answer.answered_at,
        )
        for answer in Answer.objects.filter(diagnostic=diagnostic)
    )


def _respondent_recipients(respondent):
    user = respondent.user
    return [Recipient.of(user)] if user is not None and user.is_active and user.email else []


def _respondent_message(respondent, recipient):
    company = respondent.diagnostic.company
    subject = _("%(company)s: your answers to the diagnostic are asked for") % {"company": company.name}
    body = render_to_string(
        "diagnostics/email/respondent_invitation.txt",
        {
            "respondent": respondent,
            "company": company,
            "axes": respondent.axis_codes,
            "link": site_link("diagnostics:detail", respondent.diagnostic_id),
        },
    )
    return subject, body


def send_respondent_email(respondent_id):
    """Tell a member invited as a respondent, once (`notify_once` on `notified_at`); returns the e-mails sent."""
    respondents = Respondent.objects.select_related("user", "invited_by", "diagnostic__company")
    return notify_once(respondents, respondent_id, recipients=_respondent_recipients, message=_respondent_message)


def sweep_respondent_emails(since, until):
    """The outbox sweeper (portal.background): enqueue again the e-mails of respondents not told yet."""
    from diagnostics.tasks import notify_respondent

    rows = Respondent.objects.filter(notified_at=None, invited_at__gte=since, invited_at__lt=until).order_by("pk")
    return sum(enqueue(notify_respondent, pk) for pk in rows.values_list("pk", flat=True)[:SWEEP_BATCH])


def _upsert_respondent_answer_sql():
    """INSERT … SELECT … WHERE the diagnostic is a draft … ON CONFLICT (diagnostic, respondent, question)
    DO UPDATE: one statement whose conflict key includes the respondent, so it never touches another
    respondent's row. The draft check locks the diagnostic row as `services.save_answer` does."""
    qn = connection.ops.quote_name
    column = {name: qn(RespondentAnswer._meta.get_field(name).column) for name in RESPONDENT_ANSWER_FIELDS}
    diagnostic_id, diagnostic_status = (qn(Diagnostic._meta.get_field(name).column) for name in ("id", "status"))
    updated = ", ".join(f"{column[name]} = excluded.{column[name]}" for name in RESPONDENT_ANSWER_FIELDS[3:])
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    return (
        f"INSERT INTO {qn(RespondentAnswer._meta.db_table)} ({', '.join(column.values())}) "
        f"SELECT {', '.join(['%s'] * len(RESPONDENT_ANSWER_FIELDS))} WHERE EXISTS "
        f"(SELECT 1 FROM {qn(Diagnostic._meta.db_table)} WHERE {diagnostic_id} = %s AND {diagnostic_status} = %s{lock}) "
        f"ON CONFLICT ({column['diagnostic']}, {column['respondent']}, {column['question']}) DO UPDATE SET {updated} "
        f"RETURNING {qn(RespondentAnswer._meta.pk.column)}"
    )


def save_respondent_answer(*, diagnostic, question, level=None, not_applicable=False, comment="", by):
    """Store `by`'s own answer to one question (create or replace it): ONE upsert statement.

    Refuses what `services.save_answer` refuses, changing nothing. Returns the saved `RespondentAnswer`.
    """
    comment = (comment or "").strip()
    check_answer(diagnostic=diagnostic, question=question, level=level, not_applicable=not_applicable, comment=comment)
    now = timezone.now()
    params = [
        diagnostic.pk,
        by.pk,
        question.pk,
        level,
        bool(not_applicable),
        comment,
        RespondentAnswer._meta.get_field("answered_at").get_db_prep_save(now, connection),
        diagnostic.pk,
        Diagnostic.Status.DRAFT.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_respondent_answer_sql(), params)
        row = cursor.fetchone()
    if row is None:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its answers can no longer change."))
    answer = RespondentAnswer(
        pk=row[0],
        diagnostic=diagnostic,
        respondent=by,
        question=question,
        level=level,
        not_applicable=bool(not_applicable),
        comment=comment,
        answered_at=now,
    )
    answer._state.adding = False
    return answer


@transaction.atomic
def save_respondent_answers(*, diagnostic, answers, by):
    """Store several of `by`'s own answers (`AnswerInput`s, the axis page posted without JavaScript):
    every answer is checked first and nothing is written if one is refused."""
    return check_then_save_all(diagnostic=diagnostic, answers=answers, save=save_respondent_answer, by=by)


@transaction.atomic
def set_consensus(*, diagnostic, question, level=None, not_applicable=False, note="", by):
    """Set the company's answer to `question` (the `Answer` scored on submit) and record the decision:
    who, when and the note (also the answer's comment). A level or "not applicable" is required.

    Raises `DiagnosticNotDraft` or `InvalidAnswer`, writing nothing. Returns the `ConsensusDecision`.
    """
    row = _locked_draft(diagnostic)
    note = (note or "").strip()
    if level is None and not not_applicable:
        raise InvalidAnswer(_("Choose the company's level for this question."))
    check_answer(diagnostic=row, question=question, level=level, not_applicable=not_applicable, comment=note)
    save_answer(diagnostic=row, question=question, level=level, not_applicable=not_applicable, comment=note, by=by)
    decision, _created = ConsensusDecision.objects.update_or_create(
        diagnostic=row,
        question=question,
        defaults={"note": note, "decided_by": by, "decided_at": timezone.now()},
    )
    return decision


@transaction.atomic
def settle_undisputed(*, diagnostic, by):
    """Set the company's answer, without a note, to every question still awaiting it on which the
    respondents who answered gave the same answer (one of them alone, or all alike); the questions whose
    answers differ are left to the lead, one by one. Raises `DiagnosticNotDraft`, writing nothing.
    Returns the `ConsensusDecision`s taken (none when nothing is undisputed)."""
    row = _locked_draft(diagnostic)
    decisions = []
    for _axis, rows in consensus_rows(row, by):
        for consensus in rows:
            if consensus.undisputed:
                given = consensus.divergence.answers[0]
                decisions.append(
                    set_consensus(
                        diagnostic=row,
                        question=consensus.divergence.question,
                        level=given.level,
                        not_applicable=given.not_applicable,
                        by=by,
                    )
                )
    return decisions
