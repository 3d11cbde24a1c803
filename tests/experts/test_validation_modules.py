"""The validation per question of a diagnostic with deep-dive modules: the expert validates what the
company's score counted (the core and the opened modules' answered questions), nothing else, and the
validated scores come from the same inputs as the company's own, so that confirming every level
leaves no calibration gap."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics import services as diagnostics_services
from experts import services
from experts.exceptions import InvalidInput
from experts.models import Assignment, ReviewAxis, ReviewQuestion
from experts.services import QuestionVerdict
from tests.diagnostics.factories import published_modular_referential
from tests.experts.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_progress(expert_profile, company, owner, officer):
    """A submitted diagnostic: core AX1-1 at 1 and AX2-1 at 3; module M-AX1 opened, AX1-2 at 4 and AX1-3
    left unanswered; module M-AX2 opened, AX2-2 answered at 5, then closed again (not counted)."""
    referential = published_modular_referential(axes=2, questions=3)
    draft = diagnostics_services.start_diagnostic(company=company, by=owner)

    def answer(code, level):
        question = referential.questions.get(code=code)
        diagnostics_services.save_answer(diagnostic=draft, question=question, level=level, by=owner)

    def decide(code, opened):
        module = referential.modules.get(code=code)
        diagnostics_services.decide_module(diagnostic=draft, module=module, opened=opened, by=owner)

    answer("AX1-1", 1)
    answer("AX2-1", 3)
    decide("M-AX1", True)
    answer("AX1-2", 4)
    decide("M-AX2", True)
    answer("AX2-2", 5)
    decide("M-AX2", False)
    diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    assert diagnostic.scores["axes"]["AX2"]["score"] == "3.00"
    return AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )


def test_the_page_lists_only_the_questions_the_companys_score_counted(client, expert, in_progress):
    client.force_login(expert)
    response = client.get(reverse("experts:validation", args=[in_progress.pk]))
    assert response.status_code == 200
    listed = [row.question.code for block in response.context["blocks"] for row in block.rows]
    assert listed == ["AX1-1", "AX1-2", "AX2-1"]


def test_confirming_every_level_from_the_page_leaves_no_calibration_gap(client, expert, in_progress):
    client.force_login(expert)
    url = reverse("experts:validation", args=[in_progress.pk])
    data = {"level_AX1-1": "1", "level_AX1-2": "4", "level_AX2-1": "3"}
    response = client.post(url, data)
    assert response.status_code == 302
    validated = dict(
        ReviewAxis.objects.filter(review__assignment=in_progress).values_list("axis_code", "validated_score")
    )
    # The company's own scores (the closed module's 5 counts for nothing on AX2).
    own = {code: Decimal(axis["score"]) for code, axis in in_progress.diagnostic.scores["axes"].items()}
    assert validated == own
    assert validated["AX2"] == Decimal("3.00")


@pytest.mark.parametrize("code", ["AX2-2", "AX1-3", "AX2-3"])
def test_a_verdict_on_a_question_the_score_did_not_count_is_refused_and_nothing_written(in_progress, expert, code):
    verdicts = {"AX1-1": QuestionVerdict(level=2, reason="Vu à l'atelier."), code: QuestionVerdict(level=1, reason="x")}
    with pytest.raises(InvalidInput, match=code):
        services.validate_questions(assignment=in_progress, by=expert, verdicts=verdicts)
    assert not ReviewQuestion.objects.filter(review__assignment=in_progress).exists()
