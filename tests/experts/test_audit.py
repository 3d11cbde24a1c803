"""The experts app on the portal's audit trail: each accreditation change, assignment step, visit and
submitted review writes exactly one entry; the verification finds state changed behind the services'
back. (The chain itself is tested in tests/portal/test_audit.py.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from experts import services
from experts.exceptions import IllegalTransition
from experts.models import Accreditation, Assignment, ReviewAxis, Visit
from portal.audit import verify
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def trail(subject):
    return list(
        AuditEntry.objects.filter(
            subject_app=subject._meta.app_label, subject_model=subject._meta.model_name, subject_pk=str(subject.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def referenced(staff, expert):
    profile = expert.expert_profile
    services.change_accreditation(
        expert=profile, by=staff, status="referenced", valid_until=TODAY() + timedelta(days=90), notify=False
    )
    return profile


@pytest.fixture
def history(referenced, officer, company, expert, referential):
    """An expert referenced by staff, proposed, accepting, visiting and reviewing: the whole journey."""
    assignment = services.propose_assignment(company=company, expert=referenced, by=officer, notify=False)
    services.accept_assignment(assignment=assignment, by=expert, notify=False)
    services.start_assignment(assignment=assignment, by=expert, notify=False)
    services.log_visit(assignment=assignment, by=expert, date=TODAY(), days=Decimal("1"), summary="Atelier.")
    services.submit_review(assignment=assignment, by=expert, levels={"AX1": 2, "AX2": 3, "AX3": 1}, notify=False)
    return assignment


def test_each_step_of_the_journey_writes_exactly_one_entry(history):
    assert trail(history) == [
        "assignment.proposed",
        "assignment.accepted",
        "assignment.in_progress",
        "visit.logged",
        "review.submitted",
    ]
    assert trail(history.expert) == ["accreditation.changed"]
    assert verify() == []


def test_an_accreditation_entry_says_who_and_what_before_and_after(staff, referenced):
    services.change_accreditation(expert=referenced, by=staff, status="suspended", comment="Enquête.", notify=False)
    entry = AuditEntry.objects.filter(action="accreditation.changed").order_by("-seq").first()
    assert entry.by == staff
    assert entry.before_data["status"] == "referenced"
    assert entry.after_data == {
        "status": "suspended",
        "valid_until": (TODAY() + timedelta(days=90)).isoformat(),
        "comment": "Enquête.",
    }
    assert entry.region_id is None  # staff only


def test_the_submitted_review_and_the_step_to_done_are_one_entry(history, expert):
    entry = AuditEntry.objects.get(action="review.submitted")
    assert entry.by == expert
    assert entry.before_data == {"status": "in_progress"}
    assert entry.after_data["status"] == "done"
    assert entry.after_data["levels"] == {"AX1": 2, "AX2": 3, "AX3": 1}


def test_assignment_entries_carry_the_company_region(history, company):
    assert set(AuditEntry.objects.filter(subject_model="assignment").values_list("region_id", flat=True)) == {
        company.region_id
    }


def test_declining_and_cancelling_write_one_entry_each(referenced, officer, company, expert, other_company_member):
    declined = services.propose_assignment(company=company, expert=referenced, by=officer, notify=False)
    services.decline_assignment(assignment=declined, by=expert, reason="Pas disponible.", notify=False)
    cancelled = services.propose_assignment(company=company, expert=referenced, by=officer, notify=False)
    services.cancel_assignment(assignment=cancelled, by=officer, reason="Doublon.", notify=False)
    assert trail(declined) == ["assignment.proposed", "assignment.declined"]
    assert trail(cancelled) == ["assignment.proposed", "assignment.cancelled"]


def test_a_refused_step_writes_no_entry(history, expert):
    before = AuditEntry.objects.count()
    with pytest.raises(IllegalTransition):
        services.start_assignment(assignment=history, by=expert, notify=False)
    assert AuditEntry.objects.count() == before


def test_state_changed_behind_the_services_back_is_found(history):
    Accreditation.objects.filter(expert_id=history.expert_id).update(valid_until=TODAY() + timedelta(days=999))
    Visit.objects.filter(assignment=history).update(days=Decimal("3"))
    ReviewAxis.objects.filter(axis_code="AX1").update(validated_level=5)
    messages = " ".join(str(problem) for problem in verify())
    assert "accreditation differs" in messages
    assert "visit" in messages
    assert "review differs" in messages


def test_verify_audit_fails_on_a_status_changed_in_sql(history, capsys):
    call_command("verify_audit")
    assert "OK" in capsys.readouterr().out
    Assignment.objects.filter(pk=history.pk).update(status="in_progress")
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"experts.assignment:{history.pk}: the assignment's status differs" in capsys.readouterr().err
