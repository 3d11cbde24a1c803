"""The workflow kit (`portal.workflow`): a refused move writes nothing; a move records, audits and
notifies; pages are offered the moves each role may make; cycles are allowed; a decision is taken once.

A small table over the regions app's programmes (the portal has no status of its own to move) shows
the kit alone; the enrolment workflow shows the moves each role is offered on a real table.
"""

import pytest
import rules
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from portal.errors import IllegalTransition
from portal.models import AuditEntry, Region
from portal.workflow import START, Move, Workflow
from regions.models import Programme, ProgrammeTransition
from regions.workflows import ENROLMENT
from tests.portal.factories import MembershipFactory, UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

S = Programme.Status
pytestmark = pytest.mark.django_db


@rules.predicate
def is_staff(user, programme):
    """Staff move the toy programme."""
    return user.is_staff


class RecordingTask:
    """Stands for a Celery task: keeps what it was published with."""

    name = "tests.told"

    def __init__(self):
        self.published = []

    def apply_async(self, args, kwargs, **options):
        self.published.append(args)


@pytest.fixture
def told():
    return RecordingTask()


@pytest.fixture
def toy(told):
    return Workflow(
        model=Programme,
        record=ProgrammeTransition,
        record_fields=lambda programme: {"programme": programme},
        moves=[
            Move("create", (START,), S.DRAFT),
            Move("open", (S.DRAFT, S.CLOSED), S.OPEN, "Open", is_staff, notify=True),
            Move("close", (S.OPEN,), S.CLOSED, "Close", is_staff),
        ],
        audit_action=lambda status: f"toy.{status}",
        audit_region=lambda programme: programme.region_id,
        notify=told,
        url=lambda programme, move: f"/toy/{programme.pk}/{move.name}/",
    )


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def locked(programme):
    return Programme.objects.select_for_update().get(pk=programme.pk)


def steps(programme):
    return list(ProgrammeTransition.objects.filter(programme=programme).values_list("from_status", "to_status"))


def test_an_illegal_move_is_refused_with_the_typed_error_in_french_and_writes_nothing(
    toy, staff, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(status=S.DRAFT)
    history, entries = steps(programme), AuditEntry.objects.count()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        translation.override("fr"),
        pytest.raises(IllegalTransition) as error,
        transaction.atomic(),
    ):
        toy.move(locked(programme), S.CLOSED, by=staff)
    assert str(error.value) == "Ce changement n'est pas permis\u00a0: brouillon → clos."
    assert Programme.objects.get(pk=programme.pk).status == S.DRAFT
    assert steps(programme) == history
    assert AuditEntry.objects.count() == entries
    assert callbacks == []


def test_a_move_saves_the_fields_records_the_step_and_writes_the_audit_entry(toy, staff):
    programme = ProgrammeFactory(status=S.DRAFT)
    with transaction.atomic():
        step = toy.move(locked(programme), S.OPEN, by=staff, comment="  Prêt. ", name="Programme ouvert")
    programme.refresh_from_db()
    assert (programme.status, programme.name) == (S.OPEN, "Programme ouvert")
    assert (step.from_status, step.to_status, step.by, step.comment) == ("draft", "open", staff, "Prêt.")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.by, entry.subject_pk, entry.region_id) == (
        "toy.open",
        staff,
        str(programme.pk),
        programme.region_id,
    )
    assert (entry.before_data, entry.after_data) == ({"status": "draft"}, {"status": "open", "comment": "Prêt."})


def test_the_notification_is_published_once_the_move_commits(toy, staff, told, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        step = toy.move(locked(programme), S.OPEN, by=staff)
    assert told.published == []
    for callback in callbacks:
        callback()
    assert told.published == [(step.pk,)]


def test_a_move_the_table_does_not_notify_publishes_nothing(toy, staff, told, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(status=S.OPEN)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        toy.move(locked(programme), S.CLOSED, by=staff)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        toy.move(locked(programme), S.OPEN, by=staff, notify=False)
    assert told.published == []


def test_a_cycle_is_allowed(toy, staff):
    programme = ProgrammeFactory(status=S.DRAFT)
    for status in [S.OPEN, S.CLOSED, S.OPEN, S.CLOSED]:
        with transaction.atomic():
            toy.move(locked(programme), status, by=staff)
    assert steps(programme)[1:] == [("draft", "open"), ("open", "closed"), ("closed", "open"), ("open", "closed")]
    assert Programme.objects.get(pk=programme.pk).status == S.CLOSED


def test_a_decision_is_taken_once_even_from_a_stale_copy(toy, staff):
    programme = ProgrammeFactory(status=S.DRAFT)
    first, second = Programme.objects.get(pk=programme.pk), Programme.objects.get(pk=programme.pk)
    with transaction.atomic():
        toy.move(first, S.OPEN, by=staff)
    entries = AuditEntry.objects.count()
    with pytest.raises(IllegalTransition), transaction.atomic():
        toy.move(second, S.OPEN, by=staff)  # read before the first decision: judged on the stored status
    assert steps(programme).count(("draft", "open")) == 1
    assert AuditEntry.objects.count() == entries


def test_the_moves_offered_follow_the_status_and_the_rule(toy, staff):
    draft, opened = ProgrammeFactory(status=S.DRAFT), ProgrammeFactory(status=S.OPEN)
    assert [(action.name, action.url) for action in toy.available_actions(draft, staff)] == [
        ("open", f"/toy/{draft.pk}/open/")
    ]
    assert [action.name for action in toy.available_actions(opened, staff)] == ["close"]
    assert toy.available_actions(draft, UserFactory()) == []


def test_the_creation_is_recorded_from_nothing(toy, staff):
    programme = ProgrammeFactory(status=S.DRAFT)
    ProgrammeTransition.objects.filter(programme=programme).delete()
    with transaction.atomic():
        toy.start(programme, by=staff, comment="Créé.")
    assert steps(programme) == [("", "draft")]
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.before_data) == ("toy.draft", None)


@pytest.mark.parametrize(
    ("status", "role", "offered"),
    [
        ("applied", "officer", ["review", "send_back"]),
        ("applied", "staff", ["review", "send_back"]),
        ("applied", "member", ["withdraw"]),
        ("applied", "other_officer", []),
        ("applied", "outsider", []),
        ("under_review", "officer", ["send_back", "accept", "refuse"]),
        ("under_review", "member", ["withdraw"]),
        ("accepted", "officer", ["start"]),
        ("in_progress", "officer", ["complete"]),
        ("in_progress", "member", ["withdraw"]),
        ("completed", "officer", []),
        ("completed", "member", []),
        ("refused", "member", []),
    ],
)
def test_the_enrolment_moves_offered_to_each_role(status, role, offered):
    enrolment = EnrolmentFactory(status=status)
    users = {
        "officer": lambda: an_officer(enrolment.programme.region),
        "staff": lambda: UserFactory(is_staff=True),
        "member": lambda: MembershipFactory(company=enrolment.company).user,
        "other_officer": lambda: an_officer(_another_region(enrolment)),
        "outsider": lambda: UserFactory(),
    }
    actions = ENROLMENT.available_actions(enrolment, users[role]())
    assert [action.name for action in actions] == offered
    assert [action.url for action in actions] == [
        reverse("regions:enrolment_action", args=[enrolment.pk, name]) for name in offered
    ]


def _another_region(enrolment):
    return Region.objects.exclude(pk=enrolment.programme.region_id).first()
