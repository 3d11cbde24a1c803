"""E-mails of the experts app with the broker down: the step or the accreditation change is recorded,
its e-mail is sent by beat's sweep, once; a change made without telling anyone is never swept."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from experts import services
from experts.models import Accreditation, AccreditationTransition, AssignmentTransition
from experts.tasks import notify_accreditation_change, notify_assignment_transition
from portal import background
from tests.experts.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def broker_down(task):
    return mock.patch.object(task, "apply_async", side_effect=OperationalError("Connection refused"))


def later():
    return background.sweep(now=timezone.now() + background.SWEEP_GRACE + timedelta(seconds=1))


def test_a_proposal_made_while_the_broker_is_down_is_told_by_the_sweep(
    officer, company, expert, expert_profile, django_capture_on_commit_callbacks
):
    with broker_down(notify_assignment_transition), django_capture_on_commit_callbacks(execute=True):
        assignment = services.propose_assignment(company=company, expert=expert_profile, by=officer)
    assert mail.outbox == []
    assert later()["experts.assignment_steps"] == 1
    assert [message.to for message in mail.outbox] == [[expert.email]]
    assert AssignmentTransition.objects.get(assignment=assignment).notified_at is not None
    assert later()["experts.assignment_steps"] == 0


def test_an_accreditation_changed_while_the_broker_is_down_is_told_by_the_sweep(
    staff, django_capture_on_commit_callbacks
):
    expert = ExpertFactory()
    with broker_down(notify_accreditation_change), django_capture_on_commit_callbacks(execute=True):
        services.change_accreditation(
            expert=expert,
            by=staff,
            status=Accreditation.Status.REFERENCED,
            valid_until=timezone.localdate() + timedelta(days=30),
        )
    assert mail.outbox == []
    assert later()["experts.accreditation_changes"] == 1
    assert [message.to for message in mail.outbox] == [[expert.user.email]]
    assert later()["experts.accreditation_changes"] == 0


def test_changes_made_without_telling_anyone_are_never_swept(officer, company, expert_profile, staff):
    services.propose_assignment(company=company, expert=expert_profile, by=officer, notify=False)
    services.change_accreditation(expert=expert_profile, by=staff, status=Accreditation.Status.SUSPENDED, notify=False)
    assert not AssignmentTransition.objects.filter(notified_at=None).exists()
    assert not AccreditationTransition.objects.filter(expert=expert_profile, to_status="suspended", notified_at=None)
    sweep = later()
    assert sweep["experts.assignment_steps"] == sweep["experts.accreditation_changes"] == 0
    assert mail.outbox == []
