"""The action plan of a submitted diagnostic: made at submit, followed by the company, edited and
validated by the assigned expert, its history, its page and the roadmap on the results page."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from diagnostics import services
from diagnostics.exceptions import PlanRefused
from diagnostics.models import ActionPlan, PlanAction, Recommendation
from diagnostics.services import plan as plans
from experts.models import Assignment
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory, answer_all
from tests.experts.factories import AssignmentFactory
from tests.portal.factories import OwnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def client(client):
    """Pages in English, as the messages the tests read."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def submit(company, by, level=2):
    draft = services.start_diagnostic(company=company, by=by)
    answer_all(draft, level=level, by=by)
    return services.submit_diagnostic(diagnostic=draft, by=by)


@pytest.fixture
def diagnostic(company, owner):
    PublishedReferentialFactory(axes=4, questions=3)
    return submit(company, owner)


@pytest.fixture
def expert(diagnostic):
    assignment = AssignmentFactory(
        company=diagnostic.company, diagnostic=diagnostic, status=Assignment.Status.IN_PROGRESS
    )
    return assignment.expert.user


def actions_of(diagnostic):
    return list(PlanAction.objects.filter(plan__diagnostic=diagnostic).order_by("horizon", "position", "pk"))


def plan_url(diagnostic):
    return reverse("diagnostics:plan", args=[diagnostic.pk])


def test_submit_makes_a_plan_of_five_to_eight_actions_in_horizons(diagnostic):
    actions = actions_of(diagnostic)

    assert 5 <= len(actions) <= 8
    assert {action.horizon for action in actions} <= {3, 12, 24}
    assert all(action.status == PlanAction.Status.TODO for action in actions)
    assert all(action.recommendation.target_level == 3 for action in actions)


def test_ensure_plan_returns_the_plan_made_at_submit(diagnostic):
    assert plans.ensure_plan(diagnostic=diagnostic) == diagnostic.action_plan
    assert ActionPlan.objects.filter(diagnostic=diagnostic).count() == 1


def test_a_plan_lost_before_plans_existed_is_made_on_the_first_view(client, owner, diagnostic):
    ActionPlan.objects.filter(diagnostic=diagnostic).delete()
    client.force_login(owner)

    assert client.get(plan_url(diagnostic)).status_code == 200
    assert len(actions_of(diagnostic)) >= 5


def test_member_sets_owner_due_date_and_status(client, owner, member, diagnostic):
    action = actions_of(diagnostic)[0]
    client.force_login(member)
    prefix = f"action-{action.pk}"

    response = client.post(
        reverse("diagnostics:plan_follow_action", args=[diagnostic.pk, action.pk]),
        {f"{prefix}-owner": owner.pk, f"{prefix}-due_date": "2027-03-31", f"{prefix}-status": "in_progress"},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.due_date, action.status) == (owner, date(2027, 3, 31), "in_progress")
    assert action.history.latest().history_user == member


def test_an_owner_outside_the_company_is_refused_and_nothing_changes(client, owner, diagnostic):
    action = actions_of(diagnostic)[0]
    stranger = OwnerFactory().user
    client.force_login(owner)
    prefix = f"action-{action.pk}"

    response = client.post(
        reverse("diagnostics:plan_follow_action", args=[diagnostic.pk, action.pk]),
        {f"{prefix}-owner": stranger.pk, f"{prefix}-status": "done"},
        follow=True,
    )

    assert "Choose a member of the company." in response.content.decode()
    action.refresh_from_db()
    assert (action.owner, action.status) == (None, "todo")


def test_the_service_refuses_an_owner_outside_the_company(owner, diagnostic):
    action = actions_of(diagnostic)[0]
    with pytest.raises(PlanRefused, match="must be a member of the company"):
        plans.update_plan_action(action=action, by=owner, owner=OwnerFactory().user, due_date=None, status="done")


def test_expert_moves_an_action_to_another_horizon_last_there(diagnostic, expert):
    first, *others = actions_of(diagnostic)
    target = 24 if first.horizon != 24 else 3

    plans.move_plan_action(action=first, by=expert, horizon=target)

    first.refresh_from_db()
    assert first.horizon == target
    assert first.position == max(a.position for a in actions_of(diagnostic) if a.horizon == target)


def test_expert_moves_an_action_down_its_horizon(diagnostic, expert):
    plan = diagnostic.action_plan
    for position, action in enumerate(actions_of(diagnostic), start=1):
        PlanAction.objects.filter(pk=action.pk).update(horizon=3, position=position)
    first, second = actions_of(diagnostic)[:2]

    plans.move_plan_action(action=first, by=expert, step=1)

    assert [a.pk for a in plan.actions.order_by("horizon", "position")][:2] == [second.pk, first.pk]


def test_moving_the_last_action_down_is_refused(diagnostic, expert):
    last = actions_of(diagnostic)[-1]
    PlanAction.objects.filter(pk=last.pk).update(horizon=24, position=99)
    last.refresh_from_db()
    with pytest.raises(PlanRefused, match="already at the edge"):
        plans.move_plan_action(action=last, by=expert, step=1)


def test_expert_adds_and_removes_an_action(diagnostic, expert):
    plan = diagnostic.action_plan
    held = set(plan.actions.values_list("recommendation_id", flat=True))
    extra = (
        Recommendation.objects.filter(question__referential=diagnostic.referential, target_level=3)
        .exclude(pk__in=held)
        .first()
    )

    added = plans.add_plan_action(plan=plan, recommendation=extra, horizon=12, by=expert)
    assert plan.actions.filter(pk=added.pk).exists()
    with pytest.raises(PlanRefused, match="already in the plan"):
        plans.add_plan_action(plan=plan, recommendation=extra, horizon=3, by=expert)

    plans.remove_plan_action(action=added, by=expert)
    assert not plan.actions.filter(pk=added.pk).exists()


def test_a_recommendation_of_another_referential_is_refused(diagnostic, expert):
    other = PublishedReferentialFactory(code="other", axes=1, questions=1)
    foreign = Recommendation.objects.filter(question__referential=other).first()
    with pytest.raises(PlanRefused, match="not one of the diagnostic's referential"):
        plans.add_plan_action(plan=diagnostic.action_plan, recommendation=foreign, horizon=3, by=expert)


def test_validation_is_withdrawn_by_a_later_edit_of_the_expert(diagnostic, expert):
    plan = plans.validate_plan(plan=diagnostic.action_plan, by=expert)
    assert plan.is_validated and plan.validated_by == expert

    plans.move_plan_action(action=actions_of(diagnostic)[0], by=expert, horizon=24)

    plan.refresh_from_db()
    assert not plan.is_validated


def test_the_company_following_the_plan_keeps_it_validated(diagnostic, expert, owner):
    plans.validate_plan(plan=diagnostic.action_plan, by=expert)
    plans.update_plan_action(action=actions_of(diagnostic)[0], by=owner, owner=owner, due_date=None, status="done")
    diagnostic.action_plan.refresh_from_db()
    assert diagnostic.action_plan.is_validated


def test_expert_validates_through_the_page_and_the_history_says_who(client, diagnostic, expert, owner):
    action = actions_of(diagnostic)[0]
    plans.update_plan_action(action=action, by=owner, owner=None, due_date=None, status="in_progress")
    client.force_login(expert)

    assert client.post(reverse("diagnostics:plan_validate", args=[diagnostic.pk])).status_code == 302

    page = client.get(plan_url(diagnostic)).content.decode()
    assert "Validated by" in page
    assert "validated the plan" in page
    assert "Status: to do → in progress" in page


def test_company_member_may_not_edit_the_plan(client, owner, diagnostic):
    action = actions_of(diagnostic)[0]
    client.force_login(owner)
    response = client.post(
        reverse("diagnostics:plan_edit_action", args=[diagnostic.pk, action.pk]), {"operation": "remove"}
    )
    assert response.status_code == 403
    assert PlanAction.objects.filter(pk=action.pk).exists()


def test_expert_of_a_done_mission_may_no_longer_edit(client, diagnostic):
    done = AssignmentFactory(company=diagnostic.company, diagnostic=diagnostic, status=Assignment.Status.DONE)
    client.force_login(done.expert.user)
    assert client.get(plan_url(diagnostic)).status_code == 200
    assert client.post(reverse("diagnostics:plan_validate", args=[diagnostic.pk])).status_code == 403


def test_plan_page_shows_why_cost_and_theme(client, company, owner):
    draft_referential = ReferentialFactory(axes=4, questions=3)
    Recommendation.objects.filter(question__referential=draft_referential).update(cost_min=5000, cost_max=20000)
    services.publish_referential(referential=draft_referential, by=None)
    diagnostic = submit(company, owner)
    action = actions_of(diagnostic)[0]
    client.force_login(owner)

    page = client.get(plan_url(diagnostic)).content.decode()

    question = action.recommendation.question
    assert question.levels.get(level=2).description in page  # the answer given
    assert question.levels.get(level=3).description in page  # what the next level looks like
    assert "5,000 – 20,000 EUR" in page


def test_results_page_opens_with_the_roadmap(client, owner, diagnostic):
    client.force_login(owner)
    page = client.get(reverse("diagnostics:results", args=[diagnostic.pk])).content.decode()
    assert page.index('id="roadmap-title"') < page.index('id="overall-title"')
    assert "0 of " in page


@pytest.mark.parametrize("axes", [2, 8])
def test_plan_page_queries_do_not_grow_with_the_actions(client, company, owner, django_assert_max_num_queries, axes):
    PublishedReferentialFactory(axes=axes, questions=3)
    diagnostic = submit(company, owner)
    client.force_login(owner)
    with django_assert_max_num_queries(16):
        response = client.get(plan_url(diagnostic))
    assert response.status_code == 200


def test_the_report_prints_the_roadmap_and_its_hash_follows_the_plan(diagnostic, owner):
    from diagnostics.reports.content import report_content, report_inputs

    before = report_inputs(diagnostic)
    action = actions_of(diagnostic)[0]
    plans.update_plan_action(action=action, by=owner, owner=owner, due_date=date(2027, 1, 15), status="done")

    assert report_inputs(diagnostic) != before
    roadmap = report_content(diagnostic).roadmap
    assert (roadmap.done, roadmap.counted) == (1, len(actions_of(diagnostic)))
    printed = [entry for horizon in roadmap.horizons for entry in horizon.actions]
    assert printed[0].owner == str(owner) and printed[0].due_on
