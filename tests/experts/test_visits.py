"""Visits: logged by the assigned expert on an accepted or in-progress assignment; each emits `visit_logged`."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import services
from experts.events import visit_logged
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Assignment, Visit
from tests.experts.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

Status = Assignment.Status
TODAY = timezone.localdate


@pytest.fixture
def in_progress(expert_profile, company, officer):
    expert_profile.day_rate = Decimal("900.00")
    expert_profile.save()
    return AssignmentFactory(expert=expert_profile, company=company, proposed_by=officer, status=Status.IN_PROGRESS)


def log(assignment, by, **kwargs):
    values = {"date": TODAY(), "days": Decimal("1.5"), "summary": "Visite de l'atelier d'usinage."} | kwargs
    return services.log_visit(assignment=assignment, by=by, **values)


def test_the_expert_logs_a_visit_with_its_cost(in_progress, expert):
    visit = log(in_progress, expert)
    assert (visit.days, visit.day_rate, visit.cost) == (Decimal("1.5"), Decimal("900.00"), Decimal("1350.00"))
    assert visit.logged_by == expert


def test_a_later_change_of_day_rate_does_not_change_a_logged_visit(in_progress, expert, expert_profile):
    visit = log(in_progress, expert)
    expert_profile.day_rate = Decimal("2000")
    expert_profile.save()
    visit.refresh_from_db()
    assert visit.cost == Decimal("1350.00")


def test_visits_may_be_logged_on_an_accepted_assignment(expert_profile, expert):
    assignment = AssignmentFactory(expert=expert_profile, status=Status.ACCEPTED)
    assert log(assignment, expert).pk


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.DECLINED, Status.DONE, Status.CANCELLED])
def test_no_visit_on_an_assignment_not_under_way(expert_profile, expert, status):
    assignment = AssignmentFactory(expert=expert_profile, status=status)
    with pytest.raises(IllegalTransition):
        log(assignment, expert)
    assert not Visit.objects.exists()


@pytest.mark.parametrize("role", ["officer", "staff", "owner"])
def test_only_the_assigned_expert_logs_visits(request, role, in_progress):
    with pytest.raises(NotAllowed):
        log(in_progress, request.getfixturevalue(role))


@pytest.mark.parametrize(
    "values",
    [
        {"days": Decimal("0")},
        {"days": Decimal("31")},
        {"days": Decimal("0.125")},
        {"summary": "  "},
        {"date": 1},  # days from today, read when the test runs (collection may be the day before)
        {"date": -400},
    ],
    ids=["no days", "too many days", "three decimals", "no summary", "future", "before the proposal"],
)
def test_bad_visit_input_is_refused_and_changes_nothing(in_progress, expert, values):
    if "date" in values:
        values = {"date": TODAY() + timedelta(days=values["date"])}
    with pytest.raises(InvalidInput):
        log(in_progress, expert, **values)
    assert not Visit.objects.exists()


def test_each_logged_visit_sends_visit_logged_after_commit(in_progress, expert, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, visit_id, **kwargs):
        received.append(visit_id)

    visit_logged.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            visit = log(in_progress, expert)
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        visit_logged.disconnect(receiver)
    assert received == [visit.pk]


def test_a_refused_visit_sends_no_event(in_progress, expert, django_capture_on_commit_callbacks):
    received = []
    visit_logged.connect(lambda sender, visit_id, **kwargs: received.append(visit_id), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
            log(in_progress, expert, summary="")
    finally:
        visit_logged.disconnect(dispatch_uid="t")
    assert received == []


def test_the_expert_logs_a_visit_through_the_page(client, expert, in_progress):
    client.force_login(expert)
    response = client.post(
        reverse("experts:log_visit", args=[in_progress.pk]),
        {"date": TODAY().isoformat(), "days": "0.5", "summary": "Atelier lean."},
    )
    assert response.url == reverse("experts:assignment", args=[in_progress.pk])
    assert Visit.objects.get().days == Decimal("0.5")
    page = client.get(response.url).content.decode()
    assert "Atelier lean." in page


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 403), ("owner", 403), ("other_company_member", 404), ("plain_user", 404)]
)
def test_the_visit_page_is_refused_to_others(client, request, role, status, in_progress):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("experts:log_visit", args=[in_progress.pk])).status_code == status


def test_the_assignment_page_shows_the_visit_cost_in_the_french_number_format(client, in_progress, expert):
    in_progress.expert.day_rate = Decimal("812.50")
    in_progress.expert.save()
    log(in_progress, expert)
    client.force_login(expert)
    html = client.get(reverse("experts:assignment", args=[in_progress.pk])).content.decode()
    assert "<td>1\u00a0218,75</td>" in html
