"""The experts audit trail: every accreditation change, assignment step, visit and submitted review is
chained by hash; the verification finds edits made behind the services' back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from experts import services
from experts.audit import assignment_chain, expert_chain, verify
from experts.models import Accreditation, Assignment, AuditEntry, ReviewAxis, Visit
from tests.experts.factories import ExpertFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def history(staff, officer, company, expert, referential):
    """An expert referenced by staff, proposed, accepting, visiting and reviewing: the whole journey."""
    profile = expert.expert_profile
    services.change_accreditation(
        expert=profile, by=staff, status="referenced", valid_until=TODAY() + timedelta(days=90), notify=False
    )
    assignment = services.propose_assignment(company=company, expert=profile, by=officer, notify=False)
    services.accept_assignment(assignment=assignment, by=expert, notify=False)
    services.start_assignment(assignment=assignment, by=expert, notify=False)
    services.log_visit(assignment=assignment, by=expert, date=TODAY(), days=Decimal("1"), summary="Atelier.")
    services.submit_review(assignment=assignment, by=expert, levels={"AX1": 2, "AX2": 3, "AX3": 1}, notify=False)
    return assignment


def test_every_decision_is_chained_in_order(history):
    kinds = list(AuditEntry.objects.filter(chain=assignment_chain(history.pk)).values_list("kind", "seq"))
    assert kinds == [
        ("transition", 1),
        ("transition", 2),
        ("transition", 3),
        ("visit", 4),
        ("review", 5),
        ("transition", 6),
    ]
    assert AuditEntry.objects.filter(chain=expert_chain(history.expert_id), kind="accreditation").count() == 1
    assert verify() == []


def test_the_trail_is_append_only(history):
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(payload="{}")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_an_edited_entry_breaks_its_chain(history):
    entry = AuditEntry.objects.get(chain=assignment_chain(history.pk), seq=4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE experts_auditentry SET payload = %s WHERE id = %s", ['{"visit":0}', entry.pk])
    assert any("changed after it was written" in str(problem) for problem in verify())


def test_a_deleted_entry_is_found(history):
    entry = AuditEntry.objects.get(chain=assignment_chain(history.pk), seq=2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM experts_auditentry WHERE id = %s", [entry.pk])
    messages = [str(problem) for problem in verify()]
    assert any("missing" in message for message in messages)
    assert any("does not follow" in message for message in messages)


def test_state_changed_behind_the_services_back_is_found(history):
    Accreditation.objects.filter(expert_id=history.expert_id).update(valid_until=TODAY() + timedelta(days=999))
    Assignment.objects.filter(pk=history.pk).update(status="cancelled")
    Visit.objects.filter(assignment=history).update(days=Decimal("3"))
    ReviewAxis.objects.filter(axis_code="AX1").update(validated_level=5)
    Assignment.objects.filter(pk=history.pk).update(status="done")
    messages = " ".join(str(problem) for problem in verify())
    assert "accreditation differs" in messages
    assert "visit" in messages
    assert "review differs" in messages


def test_the_command_reports_ok_or_fails(history, capsys):
    call_command("verify_experts_audit")
    assert "OK" in capsys.readouterr().out
    Assignment.objects.filter(pk=history.pk).update(status="in_progress")
    with pytest.raises(CommandError):
        call_command("verify_experts_audit")


def test_chains_are_independent_per_subject(staff):
    first, second = ExpertFactory(), ExpertFactory()
    for expert in (first, second, first):
        current = Accreditation.objects.filter(expert=expert).first()
        status = "suspended" if current else "referenced"
        services.change_accreditation(
            expert=expert, by=staff, status=status, valid_until=TODAY() + timedelta(days=30), notify=False
        )
    assert list(AuditEntry.objects.filter(chain=expert_chain(first.pk)).values_list("seq", flat=True)) == [1, 2]
    assert list(AuditEntry.objects.filter(chain=expert_chain(second.pk)).values_list("seq", flat=True)) == [1]
    assert verify() == []
