"""The diagnostics app's part of a company's data (export, erasure on closure), the purge of abandoned
drafts, and the removal of a report's PDF from storage when its row is deleted."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_delete
from django.dispatch import receiver

from diagnostics.models import (
    ActionPlan,
    Answer,
    AxisScore,
    ConsensusDecision,
    Diagnostic,
    DiagnosticAccess,
    Evidence,
    ModuleDecision,
    PlanAction,
    Report,
    Respondent,
    RespondentAnswer,
)
from portal.privacy import CompanyData, ExportPart, register_company_data, register_retention

logger = logging.getLogger("diagnostics.privacy")


def export_diagnostics(company):
    diagnostics = Diagnostic.objects.filter(company=company).select_related("referential").order_by("started_at", "pk")
    answers, axis_scores, reports, evidence = {}, {}, {}, {}
    files = []
    for item in Evidence.objects.filter(answer__diagnostic__company=company).select_related("answer").order_by("pk"):
        entry = {"kind": item.kind, "added_by": item.added_by_id, "added_at": item.added_at}
        if item.is_file:
            archive_name = f"evidence/diagnostic-{item.answer.diagnostic_id}-evidence-{item.pk}-{item.filename}"
            files.append((archive_name, item.file))
            entry |= {"file": archive_name, "content_type": item.content_type, "size": item.size}
        else:
            entry |= {"url": item.url, "title": item.title}
        evidence.setdefault((item.answer.diagnostic_id, item.answer.question_id), []).append(entry)
    for answer in Answer.objects.filter(diagnostic__company=company).select_related("question").order_by("pk"):
        answers.setdefault(answer.diagnostic_id, []).append(
            {
                "question": answer.question.code,
                "level": answer.level,
                "not_applicable": answer.not_applicable,
                "comment": answer.comment,
                "answered_by": answer.answered_by_id,
                "answered_at": answer.answered_at,
                "evidence": evidence.get((answer.diagnostic_id, answer.question_id), []),
            }
        )
    for score in AxisScore.objects.filter(diagnostic__company=company).order_by("pk"):
        axis_scores.setdefault(score.diagnostic_id, {})[score.axis_code] = score.score
    for report in Report.objects.filter(diagnostic__company=company).order_by("pk"):
        archive_name = ""
        if report.is_ready and report.file.name:
            archive_name = f"reports/diagnostic-{report.diagnostic_id}-report-{report.pk}-{report.language}.pdf"
            files.append((archive_name, report.file))
        reports.setdefault(report.diagnostic_id, []).append(
            {
                "id": report.pk,
                "language": report.language,
                "status": report.status,
                "created_at": report.created_at,
                "rendered_at": report.rendered_at,
                "sha256": report.sha256,
                "file": archive_name,
                "requested_by": report.requested_by_id,
            }
        )
    respondents = _respondents(company)
    modules = {}
    for row in ModuleDecision.objects.filter(diagnostic__company=company).select_related("module").order_by("pk"):
        modules.setdefault(row.diagnostic_id, []).append(
            {
                "module": row.module.code,
                "opened": row.opened,
                "decided_by": row.decided_by_id,
                "decided_at": row.decided_at,
            }
        )
    plans = _action_plans(company)
    data = {
        "accesses_from_outside": _accesses(company),
        "diagnostics": [
            {
                "id": diagnostic.pk,
                "referential": {"code": diagnostic.referential.code, "version": diagnostic.referential.version},
                "status": diagnostic.status,
                "started_by": diagnostic.started_by_id,
                "started_at": diagnostic.started_at,
                "submitted_by": diagnostic.submitted_by_id,
                "submitted_at": diagnostic.submitted_at,
                "previous": diagnostic.previous_id,
                "overall_score": diagnostic.overall_score,
                "band": diagnostic.band,
                "scores": diagnostic.scores,
                "axis_scores": axis_scores.get(diagnostic.pk, {}),
                "answers": answers.get(diagnostic.pk, []),
                "reports": reports.get(diagnostic.pk, []),
                "modules": modules.get(diagnostic.pk, []),
                **respondents.get(diagnostic.pk, {}),
                "action_plan": plans.get(diagnostic.pk),
            }
            for diagnostic in diagnostics
        ],
    }
    return ExportPart(data=data, files=files)


def _respondents(company):
    """{diagnostic id: {"respondents": [...], "respondent_answers": [...], "consensus": [...]}}: who was
    asked to answer, what each answered on their own, who set the company's answers and why."""
    parts = {}

    def part(diagnostic_id, key):
        return parts.setdefault(diagnostic_id, {"respondents": [], "respondent_answers": [], "consensus": []})[key]

    for row in Respondent.objects.filter(diagnostic__company=company).order_by("pk"):
        part(row.diagnostic_id, "respondents").append(
            {"user": row.user_id, "email": row.email, "function": row.function, "axes": row.axis_codes}
        )
    for row in RespondentAnswer.objects.filter(diagnostic__company=company).select_related("question").order_by("pk"):
        part(row.diagnostic_id, "respondent_answers").append(
            {
                "respondent": row.respondent_id,
                "question": row.question.code,
                "level": row.level,
                "not_applicable": row.not_applicable,
                "comment": row.comment,
                "answered_at": row.answered_at,
            }
        )
    for row in ConsensusDecision.objects.filter(diagnostic__company=company).select_related("question").order_by("pk"):
        part(row.diagnostic_id, "consensus").append(
            {
                "question": row.question.code,
                "note": row.note,
                "decided_by": row.decided_by_id,
                "decided_at": row.decided_at,
            }
        )
    return parts


def _action_plans(company):
    """Each diagnostic's action plan, its actions and their history (who changed what, when)."""
    plans = {}
    for plan in ActionPlan.objects.filter(diagnostic__company=company).order_by("pk"):
        plans[plan.diagnostic_id] = {
            "validated_by": plan.validated_by_id,
            "validated_at": plan.validated_at,
            "actions": [],
            "history": list(
                PlanAction.history.filter(plan_id=plan.pk)
                .order_by("history_date", "history_id")
                .values(
                    "id", "history_date", "history_type", "history_user_id", "horizon", "owner_id", "due_date", "status"
                )
            )
            + list(
                plan.history.order_by("history_date", "history_id").values(
                    "history_date", "history_type", "history_user_id", "validated_by_id", "validated_at"
                )
            ),
        }
    actions = PlanAction.objects.filter(plan__diagnostic__company=company).select_related(
        "plan", "recommendation__question"
    )
    for action in actions.order_by("horizon", "position", "pk"):
        plans[action.plan.diagnostic_id]["actions"].append(
            {
                "id": action.pk,
                "recommendation": action.recommendation.code,
                "horizon_months": action.horizon,
                "owner": action.owner_id,
                "due_date": action.due_date,
                "status": action.status,
            }
        )
    return plans


def _accesses(company):
    """Who outside the company looked at its diagnostics ("who viewed my diagnostic")."""
    return list(
        DiagnosticAccess.objects.filter(company=company)
        .order_by("at", "pk")
        .values("diagnostic_id", "user_id", "kind", "region__code", "organisation", "what", "at")
    )


def erase_diagnostics(*, company, user_ids):
    """Comments written in the answers go, and so do the evidence and the PDF reports (they name the company); the
    levels and the score snapshots stay, so the benchmarks keep counting the company anonymously.
    The respondents' comments and the consensus notes go too, and so does the list of who was asked
    (names and e-mail addresses)."""
    Answer.objects.filter(diagnostic__company=company).exclude(comment="").update(comment="")
    Evidence.objects.filter(answer__diagnostic__company=company).delete()  # files follow (post_delete below)
    RespondentAnswer.objects.filter(diagnostic__company=company).exclude(comment="").update(comment="")
    ConsensusDecision.objects.filter(diagnostic__company=company).exclude(note="").update(note="")
    Respondent.objects.filter(diagnostic__company=company).delete()
    for report in Report.objects.filter(diagnostic__company=company):
        report.delete()  # the file follows (post_delete below)


def purge_abandoned_drafts(*, now):
    """Draft diagnostics with no change (start or answer) for RETENTION_DRAFT_DAYS days; their answers go with them.

    A draft an expert's review points at is kept."""
    cutoff = now - timedelta(days=settings.RETENTION_DRAFT_DAYS)
    abandoned = (
        Diagnostic.objects.filter(status=Diagnostic.Status.DRAFT, expert_reviews__isnull=True)
        .annotate(
            last_change=Greatest(
                "started_at",
                Coalesce(Max("answers__answered_at"), "started_at"),
                # A respondent answering on their own keeps the draft alive too.
                Coalesce(Max("respondent_answers__answered_at"), "started_at"),
            )
        )
        .filter(last_change__lt=cutoff)
        .values_list("pk", flat=True)
    )
    ids = list(abandoned)
    with transaction.atomic():
        Diagnostic.objects.filter(pk__in=ids, status=Diagnostic.Status.DRAFT).delete()
    return len(ids)


@receiver(post_delete, sender=Evidence, dispatch_uid="diagnostics.privacy.delete_evidence_file")
@receiver(post_delete, sender=Report, dispatch_uid="diagnostics.privacy.delete_report_file")
def _delete_stored_file(sender, instance, **kwargs):
    """A report's PDF, an evidence file, leaves the storage with its row (removed, a draft purged, a
    company closed), once the deletion has committed."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def delete_file():
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the stored file %s", name, exc_info=True)

    transaction.on_commit(delete_file)


def register():
    register_company_data(
        CompanyData(
            key="diagnostics",
            models=(
                "diagnostics.Diagnostic",
                "diagnostics.Answer",
                "diagnostics.Evidence",
                "diagnostics.AxisScore",
                "diagnostics.Respondent",
                "diagnostics.RespondentAnswer",
                "diagnostics.ModuleDecision",
                "diagnostics.ConsensusDecision",
                "diagnostics.Report",
                "diagnostics.DiagnosticAccess",
                "diagnostics.ActionPlan",
                "diagnostics.PlanAction",
                "diagnostics.HistoricalActionPlan",
                "diagnostics.HistoricalPlanAction",
            ),
            export=export_diagnostics,
            erase=erase_diagnostics,
            order=10,
        )
    )
    register_retention("draft_diagnostics", purge_abandoned_drafts)
