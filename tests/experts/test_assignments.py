"""The assignment workflow: one transition table, history of every step, capacity, e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from experts import services
from experts.exceptions import (
    CapacityReached,
    DuplicateAssignment,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotReferenced,
)
from experts.models import Accreditation, Assignment, AssignmentTransition
from experts.services.notifications import send_assignment_step_emails
from experts.workflows import ASSIGNMENT
from portal.models import Region
from tests.experts.factories import AssignmentFactory, ExpertFactory, ReferencedExpertFactory, accredit
from tests.portal.factories import CompanyFactory, RegionOfficerFactory

pytestmark = pytest.mark.django_db

Status = Assignment.Status


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def propose(company, expert, by, **kwargs):
    return services.propose_assignment(company=company, expert=expert, by=by, due_date=in_days(30), **kwargs)


def history(assignment):
    return list(assignment.transitions.order_by("at", "pk").values_list("from_status", "to_status"))


# --- Proposing ------------------------------------------------------------------------------------


def test_an_officer_of_the_company_region_proposes_a_referenced_expert(officer, company, expert_profile):
    assignment = propose(company, expert_profile, officer, brief="Valider le diagnostic.")
    assert (assignment.status, assignment.proposed_by, assignment.brief) == (
        Status.PROPOSED,
        officer,
        "Valider le diagnostic.",
    )
    assert history(assignment) == [("", "proposed")]
    step = assignment.transitions.get()
    assert (step.by, step.comment) == (officer, "Valider le diagnostic.")


def test_staff_propose_in_any_region(staff, expert_profile):
    company = CompanyFactory(region=Region.objects.get(code="84"))
    assert propose(company, expert_profile, staff).status == Status.PROPOSED


def test_an_officer_of_another_region_may_not_propose(company, expert_profile):
    elsewhere = RegionOfficerFactory(region=Region.objects.get(code="84")).user
    with pytest.raises(NotAllowed):
        propose(company, expert_profile, elsewhere)


@pytest.mark.parametrize("role", ["owner", "member", "expert", "plain_user"])
def test_company_members_experts_and_others_may_not_propose(request, role, company, expert_profile):
    with pytest.raises(NotAllowed):
        propose(company, ReferencedExpertFactory(), request.getfixturevalue(role))


def test_proposing_names_the_company_latest_submitted_diagnostic(
    officer, company, expert_profile, submitted_diagnostic
):
    assert propose(company, expert_profile, officer).diagnostic == submitted_diagnostic


def test_an_expert_not_referenced_cannot_be_proposed(officer, company):
    with pytest.raises(NotReferenced):
        propose(company, ExpertFactory(), officer)


@pytest.mark.parametrize("status", [Accreditation.Status.SUSPENDED, Accreditation.Status.EXPIRED])
def test_a_suspended_or_expired_expert_cannot_be_proposed(officer, company, status):
    expert = accredit(ExpertFactory(), status=status)
    with pytest.raises(NotReferenced):
        propose(company, expert, officer)


def test_an_expert_past_their_validity_date_cannot_be_proposed(officer, company):
    expert = accredit(ExpertFactory(), valid_until=in_days(-1))
    with pytest.raises(NotReferenced):
        propose(company, expert, officer)


def test_a_full_expert_cannot_be_proposed(officer, company):
    expert = ReferencedExpertFactory(capacity=1)
    AssignmentFactory(expert=expert, status=Status.IN_PROGRESS)
    with pytest.raises(CapacityReached):
        propose(company, expert, officer)


def test_a_second_live_assignment_for_the_same_expert_and_company_is_refused(officer, company, expert_profile):
    propose(company, expert_profile, officer)
    with pytest.raises(DuplicateAssignment):
        propose(company, expert_profile, officer)


def test_a_new_proposal_is_possible_once_the_previous_one_was_declined(officer, company, expert_profile, expert):
    first = propose(company, expert_profile, officer)
    services.decline_assignment(assignment=first, by=expert, reason="Pas disponible ce mois-ci.")
    assert propose(company, expert_profile, officer).status == Status.PROPOSED


def test_a_due_date_in_the_past_is_refused(officer, company, expert_profile):
    with pytest.raises(InvalidInput):
        services.propose_assignment(company=company, expert=expert_profile, by=officer, due_date=in_days(-1))
    assert not Assignment.objects.exists()


# --- The expert answers ---------------------------------------------------------------------------


def test_the_expert_accepts_then_starts(officer, company, expert_profile, expert):
    assignment = propose(company, expert_profile, officer)
    services.accept_assignment(assignment=assignment, by=expert)
    services.start_assignment(assignment=assignment, by=expert)
    assignment.refresh_from_db()
    assert assignment.status == Status.IN_PROGRESS
    assert history(assignment) == [("", "proposed"), ("proposed", "accepted"), ("accepted", "in_progress")]
    assert list(assignment.transitions.values_list("by", flat=True)) == [officer.pk, expert.pk, expert.pk]


def test_declining_needs_a_reason(officer, company, expert_profile, expert):
    assignment = propose(company, expert_profile, officer)
    with pytest.raises(InvalidInput):
        services.decline_assignment(assignment=assignment, by=expert, reason="  ")
    assignment.refresh_from_db()
    assert assignment.status == Status.PROPOSED


def test_declining_records_the_reason(officer, company, expert_profile, expert):
    assignment = propose(company, expert_profile, officer)
    services.decline_assignment(assignment=assignment, by=expert, reason="Conflit d'intérêts.")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (Status.DECLINED, "Conflit d'intérêts.")
    assert assignment.transitions.last().comment == "Conflit d'intérêts."


@pytest.mark.parametrize("role", ["officer", "staff", "owner", "plain_user"])
def test_only_the_proposed_expert_answers(request, role, officer, company, expert_profile):
    assignment = propose(company, expert_profile, officer)
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        services.accept_assignment(assignment=assignment, by=user)
    with pytest.raises(NotAllowed):
        services.decline_assignment(assignment=assignment, by=user, reason="Non.")


def test_another_expert_may_not_accept(officer, company, expert_profile):
    assignment = propose(company, expert_profile, officer)
    with pytest.raises(NotAllowed):
        services.accept_assignment(assignment=assignment, by=ReferencedExpertFactory().user)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.ACCEPTED, "accept"),
        (Status.DECLINED, "accept"),
        (Status.IN_PROGRESS, "decline"),
        (Status.PROPOSED, "start"),
        (Status.DONE, "start"),
        (Status.DONE, "cancel"),
        (Status.CANCELLED, "accept"),
        (Status.DECLINED, "cancel"),
    ],
)
def test_illegal_moves_raise_a_typed_error_and_change_nothing(status, action, staff):
    assignment = AssignmentFactory(status=status)
    expert = assignment.expert.user
    calls = {
        "accept": lambda: services.accept_assignment(assignment=assignment, by=expert),
        "decline": lambda: services.decline_assignment(assignment=assignment, by=expert, reason="Non."),
        "start": lambda: services.start_assignment(assignment=assignment, by=expert),
        "cancel": lambda: services.cancel_assignment(assignment=assignment, by=staff),
    }
    steps = assignment.transitions.count()
    with pytest.raises(IllegalTransition):
        calls[action]()
    assignment.refresh_from_db()
    assert assignment.status == status
    assert assignment.transitions.count() == steps


def test_the_transition_table_has_no_cycle():
    seen = set()

    def walk(status, path):
        assert status not in path
        seen.add(status)
        for following in ASSIGNMENT.targets(status):
            walk(following, path | {status})

    walk(Status.PROPOSED, frozenset())
    assert seen == set(Status.values)


# --- Capacity -------------------------------------------------------------------------------------


def test_accepting_beyond_capacity_is_refused(officer, expert):
    profile = accredit(expert.expert_profile)
    profile.capacity = 1
    profile.save()
    first = propose(CompanyFactory(), profile, officer)
    second = propose(CompanyFactory(), profile, officer)
    services.accept_assignment(assignment=first, by=expert)
    with pytest.raises(CapacityReached):
        services.accept_assignment(assignment=second, by=expert)
    second.refresh_from_db()
    assert second.status == Status.PROPOSED


def test_a_cancelled_assignment_frees_its_place(officer, expert):
    profile = accredit(expert.expert_profile)
    profile.capacity = 1
    profile.save()
    first = propose(CompanyFactory(), profile, officer)
    second = propose(CompanyFactory(), profile, officer)
    services.accept_assignment(assignment=first, by=expert)
    services.cancel_assignment(assignment=first, by=officer, reason="Entreprise en redressement.")
    assert services.accept_assignment(assignment=second, by=expert).status == Status.ACCEPTED


def test_a_suspended_expert_cannot_accept_a_pending_proposal(officer, company, expert_profile, expert, staff):
    assignment = propose(company, expert_profile, officer)
    services.change_accreditation(expert=expert_profile, by=staff, status=Accreditation.Status.SUSPENDED, notify=False)
    with pytest.raises(NotReferenced):
        services.accept_assignment(assignment=assignment, by=expert)


# --- Cancelling -----------------------------------------------------------------------------------


def test_an_officer_cancels_an_assignment_of_their_region(officer, company, expert_profile):
    assignment = propose(company, expert_profile, officer)
    services.cancel_assignment(assignment=assignment, by=officer, reason="Doublon.")
    assignment.refresh_from_db()
    assert assignment.status == Status.CANCELLED
    assert history(assignment)[-1] == ("proposed", "cancelled")


@pytest.mark.parametrize("role", ["expert", "owner", "plain_user"])
def test_experts_and_companies_may_not_cancel(request, role, officer, company, expert_profile):
    assignment = propose(company, expert_profile, officer)
    with pytest.raises(NotAllowed):
        services.cancel_assignment(assignment=assignment, by=request.getfixturevalue(role))


# --- E-mails --------------------------------------------------------------------------------------


def test_a_proposal_emails_the_expert_after_commit(
    officer, company, expert_profile, expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        propose(company, expert_profile, officer)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert company.name in mail.outbox[0].subject


def test_accepting_emails_the_proposer_and_the_company_owners(
    officer, owner, member, company, expert_profile, expert, django_capture_on_commit_callbacks
):
    assignment = propose(company, expert_profile, officer, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_assignment(assignment=assignment, by=expert)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([officer.email, owner.email])


def test_declining_emails_the_proposer_only(
    officer, owner, company, expert_profile, expert, django_capture_on_commit_callbacks
):
    assignment = propose(company, expert_profile, officer, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_assignment(assignment=assignment, by=expert, reason="Indisponible.")
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert "Indisponible." in mail.outbox[0].body


def test_cancelling_an_active_assignment_emails_the_expert_and_the_owners_not_the_canceller(
    officer, owner, company, expert_profile, expert, django_capture_on_commit_callbacks
):
    assignment = propose(company, expert_profile, officer, notify=False)
    services.accept_assignment(assignment=assignment, by=expert, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_assignment(assignment=assignment, by=officer)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([expert.email, owner.email])


def test_emails_are_written_in_each_recipient_language(
    officer, company, expert_profile, expert, django_capture_on_commit_callbacks
):
    expert.preferred_language = "en"
    expert.save()
    with django_capture_on_commit_callbacks(execute=True):
        propose(company, expert_profile, officer)
    assert "proposes you an assignment" in mail.outbox[0].body


def test_the_step_emails_are_sent_once_when_the_task_runs_twice(
    officer, company, expert_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the task is run by hand below, twice
        assignment = propose(company, expert_profile, officer)
    step = AssignmentTransition.objects.get(assignment=assignment)
    assert send_assignment_step_emails(step.pk) == 1
    assert send_assignment_step_emails(step.pk) == 0
    assert len(mail.outbox) == 1


def test_the_capacity_refusal_speaks_of_one_mission_in_the_singular(officer, expert):
    profile = accredit(expert.expert_profile)
    profile.capacity = 1
    profile.save()
    first = propose(CompanyFactory(), profile, officer)
    second = propose(CompanyFactory(), profile, officer)
    services.accept_assignment(assignment=first, by=expert)
    with translation.override("fr"), pytest.raises(CapacityReached) as refusal:
        services.accept_assignment(assignment=second, by=expert)
    assert str(refusal.value.args[0]).startswith("Vous avez déjà 1 mission active, votre capacité.")
