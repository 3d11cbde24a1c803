"""The expert's validation per question: the company's level confirmed or adjusted with a reason, the
axes' validated scores from the one scoring function, the page with the answers and their evidence."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics import services as diagnostics_services
from diagnostics.models import RespondentFunction
from diagnostics.scoring import AnswerSpec, AxisSpec, compute_scores
from experts import services
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Assignment, ExpertReview, ReviewAxis, ReviewQuestion
from experts.services import QuestionVerdict
from tests.diagnostics.evidence_support import attach_file, draft_with_answers
from tests.experts.conftest import SELF_LEVELS
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_progress(expert_profile, company, officer, submitted_diagnostic):
    return AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )


def test_adjusting_a_level_needs_a_reason_and_writes_nothing_without_one(in_progress, expert):
    with pytest.raises(InvalidInput, match="AX1-1"):
        services.validate_questions(
            assignment=in_progress,
            by=expert,
            verdicts={"AX2-1": QuestionVerdict(level=4), "AX1-1": QuestionVerdict(level=3, reason="  ")},
        )
    assert not ReviewQuestion.objects.exists()
    assert not ExpertReview.objects.exists()


def test_confirming_a_level_needs_no_reason(in_progress, expert):
    review = services.validate_questions(
        assignment=in_progress, by=expert, verdicts={"AX1-1": QuestionVerdict(level=SELF_LEVELS["AX1"])}
    )
    row = review.questions.get()
    assert (row.question_code, row.self_level, row.validated_level, row.is_adjusted) == ("AX1-1", 1, 1, False)


def test_the_axis_score_follows_from_the_scoring_function_on_the_validated_levels(in_progress, expert, referential):
    review = services.validate_questions(
        assignment=in_progress,
        by=expert,
        verdicts={
            "AX1-1": QuestionVerdict(level=4, reason="Indicateurs affichés en atelier."),
            "AX2-2": QuestionVerdict(level=2, reason="Pas de maintenance prévisionnelle."),
        },
    )
    levels = {"AX1-1": 4, "AX2-2": 2}
    questions = list(referential.questions.select_related("axis"))
    expected = compute_scores(
        [AxisSpec(code=axis.code, weight=axis.weight) for axis in referential.axes.all()],
        [AnswerSpec(q.code, q.axis.code, q.weight, levels.get(q.code, SELF_LEVELS[q.axis.code])) for q in questions],
    )
    stored = dict(ReviewAxis.objects.filter(review=review).values_list("axis_code", "validated_score"))
    assert stored == {code: axis.score for code, axis in expected.axes.items()}
    # AX1-1 weighs 2, AX1-2 weighs 1: (2 × 4 + 1 × 1) / 3 = 3.00; AX2: (2 × 4 + 1 × 2) / 3 = 3.33.
    assert (stored["AX1"], stored["AX2"], stored["AX3"]) == (Decimal("3.00"), Decimal("3.33"), Decimal("2.00"))


def test_not_applicable_is_refused_where_the_question_does_not_allow_it(in_progress, expert):
    with pytest.raises(InvalidInput, match="AX1-1"):
        services.validate_questions(
            assignment=in_progress, by=expert, verdicts={"AX1-1": QuestionVerdict(level=None, reason="Sans objet.")}
        )


def test_an_unknown_question_is_refused(in_progress, expert):
    with pytest.raises(InvalidInput, match="ZZ-9"):
        services.validate_questions(assignment=in_progress, by=expert, verdicts={"ZZ-9": QuestionVerdict(level=1)})


def test_only_the_assigned_expert_validates(in_progress):
    with pytest.raises(NotAllowed):
        services.validate_questions(
            assignment=in_progress, by=ReferencedExpertFactory().user, verdicts={"AX1-1": QuestionVerdict(level=1)}
        )


def test_the_review_submitted_after_the_validation_needs_no_level_typed_in(in_progress, expert, submitted_diagnostic):
    services.validate_questions(
        assignment=in_progress,
        by=expert,
        verdicts={"AX1-1": QuestionVerdict(level=0, reason="Aucun indicateur suivi.")},
    )
    review = services.submit_review(assignment=in_progress, by=expert, levels={}, summary="Vue d'ensemble.")
    scores = {row.axis_code: row.expert_score for row in review.axes.all()}
    assert scores == {"AX1": Decimal("0.33"), "AX2": Decimal("4.00"), "AX3": Decimal("2.00")}
    submitted_diagnostic.refresh_from_db()
    assert submitted_diagnostic.scores["axes"]["AX1"]["score"] == "1.00"  # the self-assessment is untouched


def test_the_validation_is_frozen_once_the_review_is_submitted(in_progress, expert):
    services.submit_review(assignment=in_progress, by=expert, levels={"AX1": 1, "AX2": 4, "AX3": 2})
    with pytest.raises(IllegalTransition):
        services.validate_questions(assignment=in_progress, by=expert, verdicts={"AX1-1": QuestionVerdict(level=1)})


# --- the page ------------------------------------------------------------------------------------


def validation_url(assignment):
    return reverse("experts:validation", args=[assignment.pk])


def test_the_page_refuses_an_adjustment_without_a_reason(client, in_progress, expert):
    client.force_login(expert)
    data = {f"level_{code}-{n}": str(SELF_LEVELS[code]) for code in SELF_LEVELS for n in (1, 2)}
    data["level_AX3-1"] = "5"
    response = client.post(validation_url(in_progress), data)
    assert response.status_code == 400
    assert "Donnez le motif" in response.content.decode()
    assert not ReviewQuestion.objects.exists()


def test_the_page_saves_every_question(client, in_progress, expert):
    client.force_login(expert)
    data = {f"level_{code}-{n}": str(SELF_LEVELS[code]) for code in SELF_LEVELS for n in (1, 2)}
    data |= {"level_AX3-1": "5", "reason_AX3-1": "Robot collaboratif en production depuis 2025."}
    response = client.post(validation_url(in_progress), data)
    assert response.status_code == 302
    assert ReviewQuestion.objects.count() == 6
    assert ReviewQuestion.objects.get(question_code="AX3-1").reason.startswith("Robot")


@pytest.fixture
def assignment_with_evidence(expert_profile, company, owner, officer, referential, settings):
    """An in-progress assignment on a diagnostic with `count` links and one file on its answers."""

    def build(count):
        settings.EVIDENCE_MAX_PER_ANSWER = 10
        draft = draft_with_answers(company, owner, referential)
        attach_file(draft, owner)
        questions = list(referential.questions.order_by("pk"))
        for number in range(count):
            diagnostics_services.attach_evidence_link(
                diagnostic=draft,
                question=questions[number % len(questions)],
                url=f"https://example.fr/{number}",
                by=owner,
            )
        diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
        return AssignmentFactory(
            expert=expert_profile,
            company=company,
            proposed_by=officer,
            diagnostic=diagnostic,
            status=Assignment.Status.IN_PROGRESS,
        )

    return build


def test_the_page_shows_the_answers_and_the_evidence_with_a_fixed_number_of_queries(
    client, expert, assignment_with_evidence, django_assert_max_num_queries
):
    assignment = assignment_with_evidence(12)
    client.force_login(expert)
    client.get(validation_url(assignment))
    with django_assert_max_num_queries(20):
        response = client.get(validation_url(assignment))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('href="https://example.fr/') == 12
    download = reverse("diagnostics:evidence_download", args=[assignment.diagnostic_id, 1])[:-2]
    assert download in page
    # The expert may download what the page links to.
    file_link = page[page.index(download) :].split('"')[0]
    assert client.get(file_link).status_code == 200


def test_the_page_costs_the_same_with_one_or_forty_pieces_of_evidence(client, expert, assignment_with_evidence):
    client.force_login(expert)
    counts = []
    for count in (1, 40):
        assignment = assignment_with_evidence(count)
        client.get(validation_url(assignment))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(validation_url(assignment)).status_code == 200
        counts.append(len(queries))
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.DONE)
    assert counts[0] == counts[1]


def test_the_page_costs_the_same_with_two_or_six_respondents(
    client, expert, expert_profile, company, owner, officer, referential
):
    """Two respondents (the lead and one colleague) is the fewest a divergence has; six is a whole team."""
    client.force_login(expert)
    counts = []
    for respondents in (2, 6):
        draft = diagnostics_services.start_diagnostic(company=company, by=owner)
        colleagues = [MembershipFactory(company=company).user for _ in range(respondents - 1)]
        for colleague in colleagues:
            diagnostics_services.invite_respondent(
                diagnostic=draft, function=RespondentFunction.PRODUCTION, user=colleague, by=owner
            )
        for index, user in enumerate([owner, *colleagues]):
            for question in referential.questions.all():
                diagnostics_services.save_respondent_answer(
                    diagnostic=draft, question=question, level=index % 6, by=user
                )
        for question in referential.questions.all():
            diagnostics_services.set_consensus(diagnostic=draft, question=question, level=2, by=owner)
        assignment = AssignmentFactory(
            expert=expert_profile,
            company=company,
            proposed_by=officer,
            diagnostic=diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner),
            status=Assignment.Status.IN_PROGRESS,
        )
        client.get(validation_url(assignment))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(validation_url(assignment)).content.decode()
        # Every colleague's answer to every question is on the page.
        assert page.lower().count("(production)") == (respondents - 1) * referential.questions.count()
        counts.append(len(queries))
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.DONE)
    assert counts[0] == counts[1] <= 20


@pytest.mark.parametrize("role", ["owner", "officer", "staff"])
def test_others_who_see_the_assignment_may_not_validate(client, request, in_progress, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(validation_url(in_progress)).status_code == 403


def test_an_expert_of_another_assignment_gets_a_404(client, in_progress):
    client.force_login(ReferencedExpertFactory().user)
    assert client.get(validation_url(in_progress)).status_code == 404


def test_the_results_page_shows_the_calibration_gap_once_the_review_is_submitted(
    client, in_progress, expert, owner, submitted_diagnostic
):
    services.validate_questions(
        assignment=in_progress, by=expert, verdicts={"AX1-1": QuestionVerdict(level=0, reason="Aucun indicateur.")}
    )
    results = reverse("diagnostics:results", args=[submitted_diagnostic.pk])
    client.force_login(owner)
    assert "Écart de calibrage" not in client.get(results).content.decode()  # a draft review shows nothing
    services.submit_review(assignment=in_progress, by=expert, levels={}, summary="Bon potentiel.")
    page = client.get(results).content.decode()
    assert "Écart de calibrage (auto-évaluation moins expert)" in page
    assert "+0,67" in page  # AX1: self 1.00, expert (2 × 0 + 1 × 1) / 3 = 0.33


def test_the_page_shows_what_each_respondent_answered_with_the_spread(
    client, expert_profile, expert, company, owner, member, officer, referential
):
    draft = diagnostics_services.start_diagnostic(company=company, by=owner)
    diagnostics_services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)
    questions = list(referential.questions.order_by("axis__order", "order", "pk"))
    for question in questions:
        diagnostics_services.save_respondent_answer(diagnostic=draft, question=question, level=1, by=owner)
    diagnostics_services.save_respondent_answer(diagnostic=draft, question=questions[0], level=4, by=member)
    for question in questions:
        diagnostics_services.set_consensus(diagnostic=draft, question=question, level=2, note="Atelier.", by=owner)
    diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    assignment = AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )
    client.force_login(expert)
    page = client.get(validation_url(assignment), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    first = page[page.index(f'id="v-{questions[0].code}"') :]
    first = first[: first.index("</fieldset>")]
    assert "Les réponses des répondants (écart de 3 niveaux)" in first
    assert str(member) in first and "Niveau 4" in first and "Niveau 1" in first
