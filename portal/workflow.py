"""Workflows: a status field moved along a table of moves, one way for every app (docs/workflows.md).

- `TransitionRecord`: the abstract history row (from, to, at, by, comment); each workflow's record
  model subclasses it with a foreign key to the object and its status choices.
- `Move`: one line of a table: the statuses it leaves from, the status it reaches, the label of its
  button, its optional form, who may make it (`rule`, a predicate of (user, object)), and whether the
  people concerned are told (`notify`) and the move audited (`audited`).
- `Workflow.move(obj, to, *, by, comment, **fields)`: the one way to make a move. The caller holds the
  object's row lock (`select_for_update`) in its transaction; the move is checked against the status
  stored in the database, so a decision taken meanwhile by someone else is refused, not taken twice.
  Then the status and the extra fields are saved, the transition recorded, the move's `effect` run,
  the audit entry written (`portal.audit.record`) and, when the table says so, the notification task
  enqueued once the transaction commits (the record row is its outbox row: `portal.notifications`).
  A refused move raises `IllegalTransition` (or the workflow's subclass) and writes nothing.
- `Workflow.available_actions(obj, user)`: the moves `user` may make now, for the templates' buttons.

The table may have cycles (a programme closed and opened again); a status reached once only (a
decision) is backed by a unique constraint on the record model, next to the lock.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.background import enqueue_after_commit
from portal.errors import IllegalTransition

START = ""  # the "from" of the first record: the object did not exist before


class TransitionRecord(models.Model):
    """One step of an object's workflow: from which status to which, when, by whom, why. Append-only.

    Subclasses add the foreign key to the object and redefine `from_status` and `to_status` with the
    object's status choices.
    """

    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class NotifiedTransitionRecord(TransitionRecord):
    """A step the people concerned are told of by e-mail: `notified_at` is set by the e-mail task once
    they were told, so running the task twice sends once (and the unset rows are its outbox)."""

    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(TransitionRecord.Meta):
        abstract = True


@dataclass(frozen=True)
class Move:
    """One line of a workflow's table. `sources` are the statuses it leaves from (`START` for the
    creation of the object); `name` is the action's code in URLs and templates."""

    name: str
    sources: tuple
    target: str
    label: str = ""
    rule: Callable | None = None  # who may make it: a predicate of (user, object); None: no page offers it
    form: type | None = None
    notify: bool = False
    audited: bool = True
    effect: Callable | None = None  # effect(obj, by=…, comment=…): what else the move does, before the audit
    page: bool = False  # made on a page of its own (a link) rather than with a button
    style: str = "primary"
    note: str = ""

    def allows(self, user, obj):
        return self.rule is not None and bool(self.rule.test(user, obj))


@dataclass(frozen=True)
class Action:
    """A move offered to a user on an object, as the templates show it."""

    move: Move
    url: str

    def __getattr__(self, name):
        return getattr(self.move, name)


class Workflow:
    """A table of moves over the `status` of a model, and the record model of its history.

    - `record`: the `TransitionRecord` subclass; `record_fields(obj)` gives its link to the object;
    - `audit_action(status)`: the audit trail's action code of a move to `status` (None: not audited);
      `audit_state(obj)`: what the entry's before/after hold; `audit_subject(obj)` and
      `audit_region(obj)`: what the entry is about and which region's officers read it; the entry's
      `after` holds the move's comment too unless `audit_comment` is False;
    - `notify`: the Celery task taking a record's id that tells the people concerned (or its dotted
      path, when the tasks module imports the services that use the workflow);
    - `refusal(current, target, obj)`: the error for a move the table does not allow from `current`;
    - `url(obj, move)`: where a page posts (or links to) a move;
    - `save_fields`: fields saved with the status on every move (e.g. an `auto_now` date).
    """

    def __init__(
        self,
        *,
        model,
        record,
        record_fields,
        moves,
        audit_action=None,
        audit_state=None,
        audit_subject=None,
        audit_region=None,
        audit_comment=True,
        notify=None,
        refusal=None,
        url=None,
        status_field="status",
        save_fields=(),
    ):
        self.model, self.record, self.record_fields = model, record, record_fields
        self.moves = tuple(moves)
        self.audit_action = audit_action
        self.audit_state = audit_state or (lambda obj: {"status": getattr(obj, status_field)})
        self.audit_subject = audit_subject or (lambda obj: obj)
        self.audit_region = audit_region or (lambda obj: None)
        self.audit_comment = audit_comment
        self.notify = notify
        self.refusal = refusal or self._refusal
        self.url = url
        self.status_field = status_field
        self.save_fields = tuple(save_fields)
        self.transitions = {}
        for move in self.moves:
            for source in move.sources:
                self.transitions.setdefault(source, set()).add(move.target)

    # -- reading the table ---------------------------------------------------------------------------

    def targets(self, status):
        """The statuses reachable from `status` in one move."""
        return set(self.transitions.get(status, ()))

    def allows(self, status, target):
        return target in self.transitions.get(status, ())

    def move_of(self, status, target):
        """The line of the table from `status` to `target` (None if there is none)."""
        return next((move for move in self.moves if status in move.sources and move.target == target), None)

    def move_named(self, name):
        """The line of the table called `name` (KeyError if there is none)."""
        moves = {move.name: move for move in self.moves}
        return moves[name]

    def label(self, status):
        status_field = self.model._meta.get_field(self.status_field)
        return str(dict(status_field.flatchoices).get(status, status)) if status else gettext("none")

    def _refusal(self, current, target, obj):
        return IllegalTransition(
            gettext("This change is not allowed: %(from)s → %(to)s.")
            % {"from": self.label(current), "to": self.label(target)}
        )

    def check(self, obj, target):
        """Raise the workflow's error when the table has no move from `obj`'s status to `target`."""
        current = getattr(obj, self.status_field)
        if not self.allows(current, target):
            raise self.refusal(current, target, obj)

    # -- making a move -------------------------------------------------------------------------------

    def _stored_status(self, obj):
        rows = type(obj)._default_manager.filter(pk=obj.pk).values_list(self.status_field, flat=True)
        return rows.first()

    def move(self, obj, to, *, by, comment="", notify=True, **fields):
        """Move the locked `obj` to `to`, set `fields`, record, audit and notify; return the record row.

        `notify=False` records the people concerned as told already (nobody is to be told).
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Workflow.move must run inside the transaction that holds the object's lock.")
        stored = self._stored_status(obj)
        if stored != getattr(obj, self.status_field):  # changed since `obj` was read: judge the stored status
            setattr(obj, self.status_field, stored)
        self.check(obj, to)
        move = self.move_of(stored, to)
        comment = (comment or "").strip()[:2000]
        before = self.audit_state(obj)
        setattr(obj, self.status_field, to)
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=[self.status_field, *self.save_fields, *fields])
        return self._step(obj, move, from_status=stored, by=by, comment=comment, before=before, notify=notify)

    def start(self, obj, *, by, comment="", notify=True, at=None, audited=True):
        """Record the creation of `obj` (the move from `START` to its status) and audit it, unless the
        creating service writes its own, fuller entry (`audited=False`)."""
        target = getattr(obj, self.status_field)
        move = self.move_of(START, target)
        if move is None:
            raise self.refusal(START, target, obj)
        comment = (comment or "").strip()[:2000]
        return self._step(
            obj, move, from_status=START, by=by, comment=comment, before=None, notify=notify, at=at, audited=audited
        )

    def _step(self, obj, move, *, from_status, by, comment, before, notify, at=None, audited=True):
        told = notify and move.notify and self.notify is not None
        values = {**self.record_fields(obj), "from_status": from_status, "to_status": move.target}
        values.update(by=by, comment=comment, at=at or timezone.now())
        if _has_field(self.record, "notified_at"):
            values["notified_at"] = None if told else timezone.now()  # nobody to tell: not left to the sweeper
        step = self.record.objects.create(**values)
        if move.effect is not None:
            move.effect(obj, by=by, comment=comment)
        if audited and move.audited and self.audit_action is not None:
            after = self.audit_state(obj) | ({"comment": comment} if self.audit_comment else {})
            audit.record(
                action=self.audit_action(move.target),
                subject=self.audit_subject(obj),
                by=by,
                before=before if from_status != START else None,
                after=after,
                region=self.audit_region(obj),
            )
        if told:
            task = import_string(self.notify) if isinstance(self.notify, str) else self.notify
            enqueue_after_commit(task, step.pk)
        return step

    # -- what a page offers --------------------------------------------------------------------------

    def available_moves(self, obj, user):
        """The moves `user` may make on `obj` now, in the table's order."""
        status = getattr(obj, self.status_field)
        return [move for move in self.moves if status in move.sources and move.allows(user, obj)]

    def available_actions(self, obj, user):
        """The moves `user` may make on `obj` now, with the URL of each, for the templates."""
        return [Action(move, self.url(obj, move) if self.url else "") for move in self.available_moves(obj, user)]


def _has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())
