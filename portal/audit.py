"""The tamper-evident audit trail of the whole portal: writing, sealing and verifying it.

Every service that changes money (programme budget, commitments, expenses), an accreditation, an
enrolment or an assignment, or submits an expert review calls `record` once, inside its own
transaction: the entry (who, when, what, state before and after) is committed with the change or
not at all. Apps above `portal` write here; `portal` never imports them.

One chain for the whole trail
    Entries are numbered 1, 2, 3… (`seq`, unique) and each one's `hash` is
    sha256(previous entry's hash + the canonical JSON of its own fields). Editing a past row in SQL
    changes what its hash should be; deleting one leaves a gap in the numbers and a `prev_hash` that
    no longer matches: `verify` walks the chain and reports the first broken link.

Concurrency: the chain head row is locked
    `record` first takes the single `AuditChainHead` row with `SELECT … FOR UPDATE` (PostgreSQL),
    reads the last number and hash from it, then writes the entry and moves the head, all in the
    caller's transaction: a second writer waits on the row lock until the first commits (or rolls
    back), then reads the new head. On SQLite `select_for_update` is a no-op, but the portal opens
    every transaction with `BEGIN IMMEDIATE` (`transaction_mode`), which takes the database's write
    lock at once: writers are serialised anyway. The unique `seq` backs both. The entry's time is
    read under that lock, so numbers and times grow together and a day's entries are one run of
    numbers. Services take their own row locks (programme, enrolment, expert, assignment) before
    calling `record`, and the head is taken last and kept to the commit, so the lock order is the
    same everywhere and two transactions cannot wait on each other. One chain serialises the
    audited writes of the portal (a few per minute: officers' decisions, visits, reviews), which
    is cheap, and makes "the first broken link" and the daily seal exact.

Daily digests
    `seal` (command `seal_audit_day`, Celery beat task `portal.seal_audit_days` every night) writes
    one `AuditDigest` per past day not sealed yet, under the same head lock: the number of entries
    of the day, the first and last numbers and sha256(previous digest's hash + those figures + the
    day's entry hashes). Rewriting the chain from some entry on (recomputing every later hash) is
    then caught by the digests of the days it touches, unless the digests are rewritten too: the
    anchors (`portal.audit_anchors`) put each entry's hash and each digest, signed with a key the
    database never holds, in the file storage (and in an RFC 3161 timestamp), out of SQL's reach.

Checks of the state itself
    Apps may register a verifier (`register_verifier`, from their `AppConfig.ready()`): a function
    returning `Problem`s when the current rows differ from what was last audited (a status changed
    in SQL without an entry). `verify` runs them after the chain and digests.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import AuditChainHead, AuditDigest, AuditEntry

HEAD_PK = 1


# -- canonical form and hashes ------------------------------------------------------------------


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot audit {type(value).__name__}")


def canonical(value):
    """The text that is stored and hashed: sorted keys, no spaces, decimals and dates as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def entry_fields(*, seq, at, by_id, action, subject, region_id, before, after):
    """The fields an entry's hash covers (`before`/`after` as their stored text)."""
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "by": by_id,
        "action": action,
        "subject": subject,
        "region": region_id,
        "before": before,
        "after": after,
    }


def chain_hash(prev_hash, fields):
    """sha256(previous hash + canonical JSON of the fields), hex."""
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def compute_hash(entry):
    return chain_hash(
        entry.prev_hash,
        entry_fields(
            seq=entry.seq,
            at=entry.at,
            by_id=entry.by_id,
            action=entry.action,
            subject=entry.subject,
            region_id=entry.region_id,
            before=entry.before,
            after=entry.after,
        ),
    )


def digest_hash(*, prev_hash, day, count, first_seq, last_seq, entry_hashes):
    entries = hashlib.sha256("".join(entry_hashes).encode()).hexdigest()
    fields = {"day": day.isoformat(), "count": count, "first": first_seq, "last": last_seq, "entries": entries}
    return chain_hash(prev_hash, fields)


# -- writing --------------------------------------------------------------------------------------


def _locked_head():
    """The chain head, locked until the transaction ends; created (from the last entry) if missing."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first() or {"seq": 0, "hash": ""}
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(pk=HEAD_PK, seq=last["seq"], hash=last["hash"])
    except IntegrityError:  # created by a concurrent writer meanwhile
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


def subject_of(instance):
    """(app label, model name, pk as text) of a model instance."""
    return instance._meta.app_label, instance._meta.model_name, str(instance.pk)


def record(*, action, subject, by, before=None, after=None, region=None):
    """Append one entry for a change made in the current transaction and return it.

    `subject` is the model instance changed (or an (app label, model, pk) triple); `before` and
    `after` are JSON-able dicts (decimals, dates allowed) or None; `region` (a Region or its id)
    lets that region's officers read the entry. Call it inside the service's transaction, after
    taking the service's own row locks.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("portal.audit.record must run inside the transaction of the change it records.")
    app_label, model, pk = subject if isinstance(subject, tuple) else subject_of(subject)
    head = _locked_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        by=by if by is not None and getattr(by, "pk", None) else None,
        action=action,
        subject_app=app_label,
        subject_model=model,
        subject_pk=str(pk),
        region_id=getattr(region, "pk", region),
        before="" if before is None else canonical(before),
        after="" if after is None else canonical(after),
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(entry)
    entry.save()
    AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=entry.seq, hash=entry.hash)
    return entry


def decoded(text):
    """A stored `before`/`after` text back as data (None when empty)."""
    return json.loads(text) if text else None


# -- what the actions are called, and state verifiers filled by the apps ------------------------------

_action_labels: dict[str, str] = {}
_verifiers: list[Callable] = []


def register_actions(labels):
    """{action code: translatable label} of an app's audited actions, for the trail's page."""
    _action_labels.update(labels)


def action_label(action):
    return _action_labels.get(action, action)


def known_actions():
    """[(code, label)] of every registered action, by code."""
    return sorted(_action_labels.items())


def register_verifier(verifier):
    """A function of no argument returning `Problem`s found in the app's current state."""
    if verifier not in _verifiers:
        _verifiers.append(verifier)


# -- sealing days --------------------------------------------------------------------------------


def day_bounds(day):
    """[start, end) of a day in the portal's time zone, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def local_day(moment):
    return timezone.localtime(moment).date()


def _day_figures(day):
    start, end = day_bounds(day)
    rows = list(AuditEntry.objects.filter(at__gte=start, at__lt=end).order_by("seq").values_list("seq", "hash"))
    return {
        "count": len(rows),
        "first_seq": rows[0][0] if rows else None,
        "last_seq": rows[-1][0] if rows else None,
        "entry_hashes": [row[1] for row in rows],
    }


@transaction.atomic
def seal(*, until=None):
    """Write the digest of every day not sealed yet, up to `until` (default: yesterday); return them.

    Runs under the chain head's lock, so no entry of a day being sealed is still in flight. Starts
    the day after the last digest, or on the day of the first entry; safe to run twice.
    """
    until = until or timezone.localdate() - timedelta(days=1)
    _locked_head()
    last = AuditDigest.objects.order_by("-day").first()
    if last is not None:
        day, prev_hash = last.day + timedelta(days=1), last.hash
    else:
        first = AuditEntry.objects.order_by("seq").values_list("at", flat=True).first()
        if first is None:
            return []
        day, prev_hash = local_day(first), ""
    digests = []
    while day <= until:
        figures = _day_figures(day)
        digest = AuditDigest(
            day=day,
            count=figures["count"],
            first_seq=figures["first_seq"],
            last_seq=figures["last_seq"],
            sealed_at=timezone.now(),
            prev_hash=prev_hash,
        )
        digest.hash = digest_hash(prev_hash=prev_hash, day=day, **figures)
        digest.save()
        digests.append(digest)
        day, prev_hash = day + timedelta(days=1), digest.hash
    return digests


# -- verifying --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong: `seq` names the entry (None for a digest or the current state)."""

    message: str
    seq: int | None = None
    subject: str = ""

    def __str__(self):
        where = f"#{self.seq}" if self.seq is not None else (self.subject or "-")
        return f"{where}: {self.message}"


def verify_chain():
    """(problems of the chain in number order, {day: [(seq, hash) in order]}, last seq, last hash)."""
    problems = []
    by_day = defaultdict(list)
    expected_seq, previous_hash = 1, ""
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            missing = f"{expected_seq}" if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            problems.append(Problem(f"entry {missing} is missing (deleted)", entry.seq))
        if entry.prev_hash != previous_hash:
            problems.append(Problem("does not carry the previous entry's hash", entry.seq))
        if compute_hash(entry) != entry.hash:
            problems.append(Problem("was changed after it was written", entry.seq))
        by_day[local_day(entry.at)].append((entry.seq, entry.hash))
        expected_seq, previous_hash = entry.seq + 1, entry.hash
    return problems, by_day, expected_seq - 1, previous_hash


def verify_digests(by_day):
    problems = []
    previous = None
    for digest in AuditDigest.objects.order_by("day"):
        label = f"digest of {digest.day.isoformat()}"
        if previous is not None and digest.day != previous.day + timedelta(days=1):
            problems.append(Problem(f"the digests between {previous.day} and {digest.day} are missing", subject=label))
        if digest.prev_hash != (previous.hash if previous is not None else ""):
            problems.append(Problem("does not carry the previous digest's hash", subject=label))
        rows = by_day.get(digest.day, [])
        expected = digest_hash(
            prev_hash=digest.prev_hash,
            day=digest.day,
            count=len(rows),
            first_seq=rows[0][0] if rows else None,
            last_seq=rows[-1][0] if rows else None,
            entry_hashes=[row[1] for row in rows],
        )
        if expected != digest.hash:
            problems.append(
                Problem(
                    f"the day's entries no longer match the seal ({digest.count} sealed, {len(rows)} now)",
                    subject=label,
                )
            )
        previous = digest
    return problems


def verify():
    """Every problem of the trail, the first broken link first; an empty list when all is well."""
    return verify_with_anchors()[0]


def verify_with_anchors():
    """(every problem of the trail, the first broken link first; the report of its anchors outside the
    database, `portal.audit_anchor_checks.AnchorReport`)."""
    from portal.audit_anchor_checks import verify_anchors  # it reads this module's hashes

    problems, by_day, last_seq, last_hash = verify_chain()
    head = AuditChainHead.objects.filter(pk=HEAD_PK).values("seq", "hash").first()
    if head is not None and (head["seq"], head["hash"]) != (last_seq, last_hash):
        problems.append(
            Problem(
                f"the chain's head names entry {head['seq']} but the last entry is {last_seq}: "
                "the last entries were deleted or changed",
                seq=last_seq + 1 if head["seq"] > last_seq else last_seq,
            )
        )
    anchors = verify_anchors()
    problems += anchors.problems
    problems += verify_digests(by_day)
    for verifier in _verifiers:
        problems += verifier()
    return problems, anchors
