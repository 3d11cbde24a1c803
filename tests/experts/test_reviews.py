"""The expert's review: validated levels beside the self-assessment, draft seen by its author only,
submitting closes the assignment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Answer, AxisScore
from experts import services
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Assignment, ExpertReview, ReviewAction, ReviewAxis
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory

pytestmark = pytest.mark.django_db

Status = Assignment.Status
LEVELS = {"AX1": 2, "AX2": 3, "AX3": 2}


@pytest.fixture
def in_progress(expert_profile, company, officer, submitted_diagnostic):
    return AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Status.IN_PROGRESS,
    )


def action(**kwargs):
    return {
        "recommendation": "Installer un MES.",
        "owner": "Directeur industriel",
        "due_date": timezone.localdate() + timedelta(days=90),
    } | kwargs


def test_submitting_the_review_closes_the_assignment(in_progress, expert, submitted_diagnostic):
    review = services.submit_review(
        assignment=in_progress,
        by=expert,
        levels=LEVELS,
        comments={"AX1": "Pas encore d'indicateurs."},
        summary="Bonne dynamique.",
        actions=[action()],
    )
    in_progress.refresh_from_db()
    assert in_progress.status == Status.DONE
    assert in_progress.transitions.last().to_status == Status.DONE
    assert (review.status, review.diagnostic, review.submitted_by) == (
        ExpertReview.Status.SUBMITTED,
        submitted_diagnostic,
        expert,
    )
    assert dict(review.axes.values_list("axis_code", "validated_level")) == LEVELS
    assert review.axes.get(axis_code="AX1").comment == "Pas encore d'indicateurs."
    assert list(review.actions.values_list("owner", flat=True)) == ["Directeur industriel"]


def test_the_self_assessment_is_never_changed(in_progress, expert, submitted_diagnostic):
    before = (
        submitted_diagnostic.scores,
        list(Answer.objects.filter(diagnostic=submitted_diagnostic).values_list("level", flat=True)),
        list(AxisScore.objects.filter(diagnostic=submitted_diagnostic).values_list("score", flat=True)),
    )
    services.submit_review(assignment=in_progress, by=expert, levels={"AX1": 5, "AX2": 5, "AX3": 5})
    submitted_diagnostic.refresh_from_db()
    after = (
        submitted_diagnostic.scores,
        list(Answer.objects.filter(diagnostic=submitted_diagnostic).values_list("level", flat=True)),
        list(AxisScore.objects.filter(diagnostic=submitted_diagnostic).values_list("score", flat=True)),
    )
    assert after == before


def test_submitting_needs_a_level_for_every_axis(in_progress, expert):
    with pytest.raises(InvalidInput):
        services.submit_review(assignment=in_progress, by=expert, levels={"AX1": 2})
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS
    assert not ExpertReview.objects.exists()


def test_a_draft_may_miss_levels_and_keeps_the_assignment_in_progress(in_progress, expert):
    review = services.save_review_draft(
        assignment=in_progress, by=expert, levels={"AX1": 2}, comments={"AX2": "À voir."}
    )
    in_progress.refresh_from_db()
    assert (review.status, in_progress.status) == (ExpertReview.Status.DRAFT, Status.IN_PROGRESS)
    assert dict(review.axes.values_list("axis_code", "validated_level")) == {"AX1": 2, "AX2": None}


def test_saving_the_draft_again_replaces_its_content(in_progress, expert):
    services.save_review_draft(assignment=in_progress, by=expert, levels={"AX1": 2}, actions=[action(), action()])
    services.save_review_draft(assignment=in_progress, by=expert, levels={"AX3": 4}, actions=[action(owner="DAF")])
    assert list(ReviewAxis.objects.values_list("axis_code", "validated_level")) == [("AX3", 4)]
    assert list(ReviewAction.objects.values_list("owner", flat=True)) == ["DAF"]
    assert ExpertReview.objects.count() == 1


@pytest.mark.parametrize("levels", [{"AX1": 6}, {"AX1": -1}, {"XX": 2}])
def test_levels_outside_0_to_5_or_unknown_axes_are_refused(in_progress, expert, levels):
    with pytest.raises(InvalidInput):
        services.save_review_draft(assignment=in_progress, by=expert, levels=levels)


def test_a_draft_keeps_an_incomplete_action_line(in_progress, expert):
    services.save_review_draft(assignment=in_progress, by=expert, levels={}, actions=[action(owner="", due_date=None)])
    assert ReviewAction.objects.values_list("recommendation", "owner", "due_date").get() == (
        "Installer un MES.",
        "",
        None,
    )


def test_submitting_with_an_incomplete_action_is_refused(in_progress, expert):
    with pytest.raises(InvalidInput):
        services.submit_review(assignment=in_progress, by=expert, levels=LEVELS, actions=[action(owner="")])
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS


def test_a_submitted_review_cannot_change(in_progress, expert):
    services.submit_review(assignment=in_progress, by=expert, levels=LEVELS)
    with pytest.raises(IllegalTransition):
        services.save_review_draft(assignment=in_progress, by=expert, levels=LEVELS)


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.ACCEPTED, Status.DONE, Status.CANCELLED])
def test_a_review_is_written_only_while_in_progress(expert_profile, expert, status, referential):
    assignment = AssignmentFactory(expert=expert_profile, status=status)
    with pytest.raises(IllegalTransition):
        services.save_review_draft(assignment=assignment, by=expert, levels={})


@pytest.mark.parametrize("role", ["officer", "staff", "owner"])
def test_only_the_assigned_expert_writes_the_review(request, role, in_progress):
    with pytest.raises(NotAllowed):
        services.submit_review(assignment=in_progress, by=request.getfixturevalue(role), levels=LEVELS)


def test_without_a_diagnostic_the_current_referential_axes_are_reviewed(expert_profile, expert, referential):
    assignment = AssignmentFactory(expert=expert_profile, status=Status.IN_PROGRESS)
    assert [axis.code for axis in services.expected_review_axes(assignment)] == ["AX1", "AX2", "AX3"]
    review = services.submit_review(assignment=assignment, by=expert, levels=LEVELS)
    assert review.diagnostic is None


# --- Pages ----------------------------------------------------------------------------------------


def review_post(levels=LEVELS, submit=False, **extra):
    data = {
        "summary": "Synthèse.",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "30",
        "actions-0-recommendation": "Former les régleurs.",
        "actions-0-owner": "RH",
        "actions-0-due_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    data.update({f"level_{code}": str(level) for code, level in levels.items()})
    data.update({"submit": "1", "confirm_close": "on"} if submit else {"save": "1"})
    data.update(extra)
    return data


def test_the_review_page_shows_the_self_assessment_beside_each_axis(client, expert, in_progress):
    client.force_login(expert)
    response = client.get(reverse("experts:review", args=[in_progress.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1,00 / 5" in page and "4,00 / 5" in page  # AX1 and AX2, in French notation


def test_the_expert_saves_a_draft_then_submits_through_the_page(client, expert, in_progress):
    client.force_login(expert)
    url = reverse("experts:review", args=[in_progress.pk])
    assert client.post(url, review_post(levels={"AX1": 2})).url == url
    assert ExpertReview.objects.get().status == ExpertReview.Status.DRAFT
    response = client.post(url, review_post(submit=True))
    assert response.url == reverse("experts:assignment", args=[in_progress.pk])
    in_progress.refresh_from_db()
    assert in_progress.status == Status.DONE
    assert ReviewAction.objects.get().owner == "RH"


def test_submitting_an_incomplete_review_through_the_page_shows_why_beside_the_axis(client, expert, in_progress):
    client.force_login(expert)
    response = client.post(
        reverse("experts:review", args=[in_progress.pk]), review_post(levels={"AX1": 2}, submit=True)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"level_AX2", "level_AX3"}
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("owner", 403), ("staff", 403), ("other_company_member", 404)]
)
def test_the_review_page_is_refused_to_others(client, request, role, status, in_progress):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("experts:review", args=[in_progress.pk])).status_code == status


@pytest.mark.parametrize("role", ["owner", "officer", "staff"])
def test_a_draft_review_is_seen_by_its_author_only(client, request, role, expert, in_progress):
    services.save_review_draft(assignment=in_progress, by=expert, levels={"AX1": 2}, summary="Brouillon secret.")
    client.force_login(expert)
    assert "Brouillon secret." in client.get(reverse("experts:assignment", args=[in_progress.pk])).content.decode()
    client.force_login(request.getfixturevalue(role))
    assert "Brouillon secret." not in client.get(reverse("experts:assignment", args=[in_progress.pk])).content.decode()


def test_another_expert_never_sees_a_review_in_progress(client, in_progress, expert, company):
    services.save_review_draft(assignment=in_progress, by=expert, levels={"AX1": 2}, summary="Brouillon secret.")
    other = ReferencedExpertFactory()
    AssignmentFactory(expert=other, company=company, status=Status.IN_PROGRESS)
    client.force_login(other.user)
    assert client.get(reverse("experts:assignment", args=[in_progress.pk])).status_code == 404


def test_a_submitted_review_is_seen_by_the_company(client, owner, expert, in_progress):
    services.submit_review(assignment=in_progress, by=expert, levels=LEVELS, summary="Avis final.")
    client.force_login(owner)
    assert "Avis final." in client.get(reverse("experts:assignment", args=[in_progress.pk])).content.decode()


# --- Drafts never blocked, errors beside their field, closing confirmed -----------------------------------


def test_a_draft_with_an_incomplete_action_line_is_saved_through_the_page(client, expert, in_progress):
    client.force_login(expert)
    url = reverse("experts:review", args=[in_progress.pk])
    response = client.post(url, review_post(levels={}, **{"actions-0-owner": "", "actions-0-due_date": ""}))
    assert response.url == url
    assert ReviewAction.objects.values_list("owner", flat=True).get() == ""


def test_submitting_an_incomplete_action_line_marks_its_missing_fields(client, expert, in_progress):
    client.force_login(expert)
    response = client.post(
        reverse("experts:review", args=[in_progress.pk]), review_post(submit=True, **{"actions-0-owner": ""})
    )
    assert set(response.context["formset"].forms[0].errors) == {"owner"}
    assert not ExpertReview.objects.exists()


def test_the_error_summary_links_to_each_field_in_error(client, expert, in_progress):
    client.force_login(expert)
    response = client.post(
        reverse("experts:review", args=[in_progress.pk]),
        review_post(levels={"AX1": 2, "AX2": 3}, submit=True, **{"actions-0-owner": ""}),
    )
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_level_AX3"' in summary
    assert 'href="#id_actions-0-owner"' in summary


def test_submitting_without_the_confirmation_closes_nothing(client, expert, in_progress):
    client.force_login(expert)
    data = review_post(submit=True)
    del data["confirm_close"]
    response = client.post(reverse("experts:review", args=[in_progress.pk]), data)
    assert "confirm_close" in response.context["form"].errors
    in_progress.refresh_from_db()
    assert in_progress.status == Status.IN_PROGRESS


def test_the_mission_page_shows_the_company_contact(client, expert, owner, in_progress):
    client.force_login(expert)
    page = client.get(reverse("experts:assignment", args=[in_progress.pk])).content.decode()
    assert f'href="mailto:{owner.email}"' in page
    assert owner.get_full_name() in page
