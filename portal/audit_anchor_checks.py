"""Checking the audit trail against its anchors outside the database (see `portal.audit_anchors`).

The stored objects are what is trusted: each must carry a valid signature of the configured public
key (and a timestamp that stamps that signature, when there is one). The `AuditAnchor` rows are
compared with them, both ways. Then every entry hash an anchor states is compared with the entry of
that number in the database, and every anchored digest with the day's digest row or the day's
entries: an entry rewritten and re-hashed after it was anchored is named, with the entries re-hashed
after it. `AnchorReport` also says what was checked, for `manage.py verify_audit`.
"""

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.audit import Problem, canonical, day_bounds, digest_hash
from portal.audit_anchors import TIMESTAMP_TOLERANCE, anchor_storage, stored_names, verify_key
from portal.models import AuditAnchor, AuditDigest, AuditEntry
from portal.timestamping import TimestampError, check_timestamp, load_roots


@dataclass
class AnchorReport:
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    anchors: int = 0
    anchored_seq: int = 0
    timestamped: int = 0


@dataclass(frozen=True)
class _Anchor:
    name: str
    payload: dict
    signature: str
    timestamp: str

    @property
    def number(self):
        return self.payload.get("anchor")

    @property
    def label(self):
        return f"anchor {self.number} ({self.name})"


def verify_anchors():
    """An `AnchorReport` of the trail against its stored anchors (no problem when none are expected)."""
    report = AnchorReport()
    public_key = verify_key()
    storage = anchor_storage()
    stored = _stored_anchors(storage, report)
    rows = {row.key: row for row in AuditAnchor.objects.order_by("number")}
    if not stored and not rows:
        if public_key is not None:
            _check_delay(report, anchored_seq=0, anchored_at=None)
        else:
            report.notes.append("not anchored: no AUDIT_SIGNING_KEY or AUDIT_VERIFY_KEY is set")
        return report
    if public_key is None:
        report.problems.append(
            Problem("anchors exist but no key is set to check them (AUDIT_SIGNING_KEY or AUDIT_VERIFY_KEY)")
        )
        _compare_copies(stored, rows, report)
        return report
    # What the anchors say about the entries comes first: it names the entry that was rewritten.
    trusted = [anchor for anchor in stored if _signed(anchor, public_key)]
    _check_entries(trusted, report)
    _check_digests(trusted, report)
    trusted_names = {anchor.name for anchor in trusted}
    for anchor in stored:
        if anchor.name not in trusted_names:
            report.problems.append(
                Problem(f"{anchor.label}: the signature does not match its content", subject=anchor.name)
            )
    _check_sequence(trusted, report)
    _check_timestamps(trusted, report)
    _compare_copies(stored, rows, report)
    report.anchors = len(trusted)
    if trusted:
        last = trusted[-1].payload
        report.anchored_seq = last["head"]["seq"]
        _check_delay(report, anchored_seq=report.anchored_seq, anchored_at=parse_datetime(last["at"]))
    return report


def _stored_anchors(storage, report):
    anchors = []
    for name in stored_names(storage):
        try:
            with storage.open(name, "rb") as handle:
                document = json.loads(handle.read().decode())
            anchors.append(_Anchor(name, document["payload"], document["signature"], document.get("timestamp") or ""))
        except (ValueError, KeyError, TypeError, OSError) as error:
            report.problems.append(Problem(f"the stored anchor cannot be read: {error}", subject=name))
    return sorted(anchors, key=lambda anchor: (anchor.number or 0, anchor.name))


def _compare_copies(stored, rows, report):
    """Each row has its stored object, identical; each stored object has its row."""
    by_name = {anchor.name: anchor for anchor in stored}
    for name, row in rows.items():
        anchor = by_name.get(name)
        if anchor is None:
            report.problems.append(Problem(f"anchor {row.number}: its stored object is missing", subject=name))
        elif (canonical(anchor.payload), anchor.signature, anchor.timestamp) != (
            row.payload,
            row.signature,
            row.timestamp,
        ):
            report.problems.append(
                Problem(f"anchor {row.number}: the database's copy differs from the stored object", subject=name)
            )
    for anchor in stored:
        if anchor.name not in rows:
            report.problems.append(
                Problem(
                    f"anchor {anchor.number}: stored, but its row is missing from the database", subject=anchor.name
                )
            )


def _signed(anchor, public_key):
    try:
        public_key.verify(base64.b64decode(anchor.signature), canonical(anchor.payload).encode())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _check_sequence(anchors, report):
    """Anchors numbered 1, 2, 3…, each naming the previous one's signature."""
    previous = None
    for expected, anchor in enumerate(anchors, start=1):
        if anchor.number != expected:
            report.problems.append(
                Problem(
                    f"anchor {expected} is missing from the storage (next found: {anchor.number})", subject=anchor.name
                )
            )
            previous = anchor
            continue
        linked = hashlib.sha256(base64.b64decode(previous.signature)).hexdigest() if previous else ""
        if anchor.payload.get("previous") != linked:
            report.problems.append(
                Problem(f"{anchor.label}: does not follow anchor {expected - 1}", subject=anchor.name)
            )
        previous = anchor


def _check_timestamps(anchors, report):
    roots = load_roots(settings.AUDIT_TSA_CA_FILE)
    unstamped = []
    for anchor in anchors:
        if not anchor.timestamp:
            unstamped.append(anchor.number)
            continue
        try:
            stamped = check_timestamp(base64.b64decode(anchor.timestamp), base64.b64decode(anchor.signature), roots)
        except TimestampError as error:
            report.problems.append(Problem(f"{anchor.label}: {error}", subject=anchor.name))
            continue
        stated = parse_datetime(anchor.payload["at"])
        if abs(stamped.at - stated) > TIMESTAMP_TOLERANCE:
            report.problems.append(
                Problem(
                    f"{anchor.label}: says it was made at {stated.isoformat()} but was timestamped at "
                    f"{stamped.at.isoformat()}",
                    subject=anchor.name,
                )
            )
        report.timestamped += 1
    if unstamped and settings.AUDIT_TSA_URL:
        report.notes.append(f"anchors without a timestamp (the authority did not answer): {unstamped}")
    if report.timestamped and not roots:
        report.notes.append("timestamps read but not checked against the authority's certificate (AUDIT_TSA_CA_FILE)")


def _check_entries(anchors, report):
    """Every anchored entry hash against the database: the first that differs is named."""
    anchored = {}
    where = {}
    for anchor in anchors:
        for seq, entry_hash in anchor.payload.get("entries", []):
            anchored[seq] = entry_hash
            where[seq] = anchor
    current = dict(AuditEntry.objects.filter(seq__in=list(anchored)).values_list("seq", "hash"))
    changed = [seq for seq in sorted(anchored) if current.get(seq) not in (None, anchored[seq])]
    missing = [seq for seq in sorted(anchored) if seq not in current]
    if changed:
        first = changed[0]
        anchor = where[first]
        report.problems.append(
            Problem(
                f"was changed after {anchor.label} of {anchor.payload['at']} anchored it: its hash was "
                f"{anchored[first][:12]}…, it is now {current[first][:12]}… (rewritten in the database)",
                seq=first,
            )
        )
        if len(changed) > 1:
            report.problems.append(
                Problem(
                    f"{len(changed) - 1} later anchored entries (#{changed[1]}–#{changed[-1]}) no longer carry "
                    "their anchored hashes: the chain was re-hashed after the change",
                    seq=changed[1],
                )
            )
    for seq in missing:
        report.problems.append(Problem(f"was anchored by {where[seq].label} but is missing (deleted)", seq=seq))


def _check_digests(anchors, report):
    """Each anchored digest: a sealed day's against its row, a running one against the day's entries."""
    for anchor in anchors:
        digest = anchor.payload.get("digest")
        if not digest:
            continue
        day = date.fromisoformat(digest["day"])
        if anchor.payload["kind"] == AuditAnchor.Kind.DAY:
            row = AuditDigest.objects.filter(day=day).values("count", "first_seq", "last_seq", "hash").first()
            anchored = {key: digest[key] for key in ("count", "first_seq", "last_seq", "hash")}
            if row != anchored:
                report.problems.append(
                    Problem(f"differs from {anchor.label}, which sealed it", subject=f"digest of {day.isoformat()}")
                )
            continue
        start, end = day_bounds(day)
        rows = list(
            AuditEntry.objects.filter(at__gte=start, at__lt=end, seq__lte=anchor.payload["head"]["seq"])
            .order_by("seq")
            .values_list("seq", "hash")
        )
        recomputed = digest_hash(
            prev_hash=digest["prev_hash"],
            day=day,
            count=len(rows),
            first_seq=rows[0][0] if rows else None,
            last_seq=rows[-1][0] if rows else None,
            entry_hashes=[row[1] for row in rows],
        )
        if recomputed != digest["hash"]:
            report.problems.append(
                Problem(
                    f"the entries of {day.isoformat()} no longer match the running digest of {anchor.label}",
                    subject=f"day {day.isoformat()}",
                )
            )


def _check_delay(report, *, anchored_seq, anchored_at):
    """Entries left unanchored for longer than AUDIT_ANCHOR_MAX_DELAY: the hourly anchoring stopped."""
    oldest = AuditEntry.objects.filter(seq__gt=anchored_seq).order_by("seq").values_list("seq", "at").first()
    if oldest is None:
        return
    waiting = AuditEntry.objects.filter(seq__gt=anchored_seq).count()
    since = f"since anchor at {anchored_at.isoformat()}" if anchored_at else "ever"
    report.notes.append(f"{waiting} entries not anchored yet ({since})")
    if timezone.now() - oldest[1] > settings.AUDIT_ANCHOR_MAX_DELAY:
        report.problems.append(
            Problem(
                f"not anchored for more than {settings.AUDIT_ANCHOR_MAX_DELAY}: the hourly anchoring has stopped "
                f"({waiting} entries waiting)",
                seq=oldest[0],
            )
        )
