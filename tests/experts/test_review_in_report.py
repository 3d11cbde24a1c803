"""The PDF report prints the submitted expert review: its summary, the validated score per axis and the
calibration gap (text read back with pypdf)."""

import pytest

from diagnostics.services import report as reports
from experts import services
from experts.models import Assignment
from experts.services import QuestionVerdict
from tests.diagnostics.report_support import pdf_text
from tests.experts.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def rendered_text(diagnostic):
    report = reports.render_report(reports.request_report(diagnostic, enqueue=False).pk, notify=False)
    with report.file.open("rb") as handle:
        return pdf_text(handle.read())


@pytest.fixture
def reviewed(expert_profile, expert, company, officer, submitted_diagnostic):
    assignment = AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )
    services.validate_questions(
        assignment=assignment, by=expert, verdicts={"AX2-1": QuestionVerdict(level=1, reason="Pas d'ERP.")}
    )
    services.submit_review(
        assignment=assignment, by=expert, levels={}, summary="Une équipe motivée, des outils à consolider."
    )
    return submitted_diagnostic


def test_the_report_prints_the_review_its_validated_scores_and_the_calibration_gap(reviewed, expert_profile):
    text = rendered_text(reviewed)
    assert "L'avis de l'expert" in text
    assert expert_profile.organisation in text
    assert "Une équipe motivée, des outils à consolider." in text
    # AX2: self 4.00; expert (2 × 1 + 1 × 4) / 3 = 2.00 → gap +2,00. AX1 and AX3 confirmed: gap 0,00.
    assert "validé par l'expert 2,00 · écart de calibrage +2,00" in text
    assert text.count("écart de calibrage 0,00") == 2


def test_a_report_rendered_before_the_review_is_replaced_by_one_that_prints_it(
    expert_profile, expert, company, officer, submitted_diagnostic
):
    before = reports.request_report(submitted_diagnostic, enqueue=False)
    assert "écart de calibrage" not in rendered_text(submitted_diagnostic)
    assignment = AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )
    services.submit_review(assignment=assignment, by=expert, levels={"AX1": 1, "AX2": 3, "AX3": 2})
    after = reports.request_report(submitted_diagnostic, enqueue=False)
    assert after.content_hash != before.content_hash
    assert "validé par l'expert 3,00 · écart de calibrage +1,00" in rendered_text(submitted_diagnostic)


def test_the_report_lists_where_the_respondents_disagree_and_the_answer_kept(company, owner, member, referential):
    from diagnostics import services as diagnostics_services
    from diagnostics.models import RespondentFunction

    draft = diagnostics_services.start_diagnostic(company=company, by=owner)
    diagnostics_services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)
    questions = list(referential.questions.order_by("axis__order", "order", "pk"))
    for question in questions:
        diagnostics_services.save_respondent_answer(diagnostic=draft, question=question, level=1, by=owner)
        diagnostics_services.set_consensus(diagnostic=draft, question=question, level=2, note="Atelier.", by=owner)
    diagnostics_services.save_respondent_answer(diagnostic=draft, question=questions[0], level=4, by=member)
    diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    text = rendered_text(diagnostic).replace("\u202f", " ")
    assert "Là où vos répondants divergent" in text
    chapter = text[text.index("Les questions sur lesquelles les réponses de vos collègues") :]
    assert f"{questions[0].code} –" in chapter
    assert str(member) in chapter and "niveau 4" in chapter
    assert chapter.count("retenu : niveau 2") == 1  # only the question two levels apart or more
