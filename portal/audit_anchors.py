"""Anchors of the audit trail outside the database it protects.

Someone who can write SQL can edit an entry, recompute every later hash, the digests and the chain
head: the chain then checks against itself. An anchor is a statement the database cannot rewrite:

- what: the number and hash of every entry written since the previous anchor, the chain's last
  entry, and a digest (the digest row of a sealed day, or the running digest of the current day,
  sealed every hour by beat), with the hash of the previous anchor's signature (anchors form a
  chain of their own);
- signed with an Ed25519 key read from a file or the environment, never from the database
  (`AUDIT_SIGNING_KEY_FILE` / `AUDIT_SIGNING_KEY`);
- written as an object of the file storage ("audit" when the settings define it, else "default":
  S3-compatible object storage in production) under a name written once (an existing object is
  never replaced); a row of `AuditAnchor` keeps a copy;
- timestamped, when `AUDIT_TSA_URL` is set, by an RFC 3161 authority (its token is in the object).

`verify_anchors` (run by `audit.verify`, hence `manage.py verify_audit`) checks each stored anchor's
signature and timestamp, the database's copies against the stored objects (missing, extra, changed),
the anchors' own chain, and every anchored entry hash and digest against the database: an entry
rewritten and re-hashed after it was anchored is named. docs/audit.md says what an attacker with the
database alone, or with the database and the key, can and cannot hide.
"""

import base64
import hashlib
import json
import logging
from datetime import timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.audit import canonical, day_bounds, digest_hash, local_day
from portal.models import AuditAnchor, AuditChainHead, AuditDigest, AuditEntry
from portal.timestamping import TimestampError, request_timestamp

logger = logging.getLogger(__name__)

PREFIX = "audit/anchors"
LOCK = "portal:audit-anchoring"
LOCK_SECONDS = 15 * 60
# A timestamp this far from the time the anchor states was not made when the anchor says.
TIMESTAMP_TOLERANCE = timedelta(minutes=10)


class AnchorConflict(Exception):
    """An object already stored under an anchor's name says something else: it is never replaced."""


# -- keys ------------------------------------------------------------------------------------------------


def _key_bytes(text, path, name):
    if path:
        try:
            return Path(path).read_bytes().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error}") from error
    return text.strip().encode()


def _load_key(data, *, private, name):
    try:
        if data.startswith(b"-----BEGIN"):
            key = (
                serialization.load_pem_private_key(data, password=None)
                if private
                else serialization.load_pem_public_key(data)
            )
        else:
            raw = base64.b64decode(data, validate=True)
            key = Ed25519PrivateKey.from_private_bytes(raw) if private else Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not an Ed25519 key (PEM, or 32 bytes in base64): {error}") from error
    expected = Ed25519PrivateKey if private else Ed25519PublicKey
    if not isinstance(key, expected):
        raise ImproperlyConfigured(f"{name} is a {type(key).__name__}, not an Ed25519 key.")
    return key


def signing_key():
    """The private key anchors are signed with, or None when anchoring is not set up."""
    data = _key_bytes(settings.AUDIT_SIGNING_KEY, settings.AUDIT_SIGNING_KEY_FILE, "AUDIT_SIGNING_KEY")
    return _load_key(data, private=True, name="AUDIT_SIGNING_KEY") if data else None


def verify_key():
    """The public key anchors are checked with: AUDIT_VERIFY_KEY, else the signing key's; or None."""
    if settings.AUDIT_VERIFY_KEY:
        return _load_key(settings.AUDIT_VERIFY_KEY.strip().encode(), private=False, name="AUDIT_VERIFY_KEY")
    private = signing_key()
    return private.public_key() if private is not None else None


def key_id(public_key):
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def new_key_pem():
    """(private PEM, public key in base64) of a new key, for `manage.py audit_signing_key`."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pem.decode(), base64.b64encode(public).decode()


@register(deploy=True)
def check_anchoring_keys(app_configs, **kwargs):
    """`check --deploy`: a key that cannot be read is an error; no key at all, a warning (the trail is
    then only checked against itself)."""
    try:
        configured = signing_key() is not None or verify_key() is not None
    except ImproperlyConfigured as error:
        return [Error(str(error), id="portal.E201")]
    if configured:
        return []
    return [
        Warning(
            "The audit trail is not anchored outside the database: someone who can write SQL could rewrite it unseen.",
            hint="Create a key with `manage.py audit_signing_key`, keep it out of the database and its "
            "backups, set AUDIT_SIGNING_KEY_FILE for the workers that anchor (default queue) and "
            "AUDIT_VERIFY_KEY (its public key) elsewhere. See docs/audit.md.",
            id="portal.W201",
        )
    ]


# -- the storage -------------------------------------------------------------------------------------------


def anchor_storage():
    return storages["audit"] if "audit" in settings.STORAGES else storages["default"]


def object_name(number, kind):
    return f"{PREFIX}/{number:08d}-{kind}.json"


def _object_bytes(payload, signature, timestamp, public_key):
    document = {
        "payload": payload,
        "signature": signature,
        "key": key_id(public_key),
        "timestamp": timestamp or None,
    }
    return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def _write_once(storage, name, content):
    if storage.exists(name):
        raise AnchorConflict(f"{name} already exists in the storage; an anchor is never replaced")
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # written meanwhile by another process: ours went under another name
        storage.delete(saved)
        raise AnchorConflict(f"{name} was written by someone else meanwhile")


def _read_object(storage, name):
    with storage.open(name, "rb") as handle:
        document = json.loads(handle.read().decode())
    return document["payload"], document["signature"], document.get("timestamp") or ""


def stored_names(storage):
    try:
        _folders, files = storage.listdir(PREFIX)
    except FileNotFoundError:
        return []
    return sorted(f"{PREFIX}/{name}" for name in files if name.endswith(".json"))


# -- anchoring ----------------------------------------------------------------------------------------------


def _entries_after(seq, up_to):
    return [
        [row_seq, row_hash]
        for row_seq, row_hash in AuditEntry.objects.filter(seq__gt=seq, seq__lte=up_to)
        .order_by("seq")
        .values_list("seq", "hash")
    ]


def running_digest(day, up_to_seq):
    """The digest of `day` over its entries up to `up_to_seq`, chained to the last sealed day before it."""
    start, end = day_bounds(day)
    rows = list(
        AuditEntry.objects.filter(at__gte=start, at__lt=end, seq__lte=up_to_seq)
        .order_by("seq")
        .values_list("seq", "hash")
    )
    previous = AuditDigest.objects.filter(day__lt=day).order_by("-day").values_list("hash", flat=True).first()
    figures = {
        "count": len(rows),
        "first_seq": rows[0][0] if rows else None,
        "last_seq": rows[-1][0] if rows else None,
    }
    digest = digest_hash(prev_hash=previous or "", day=day, entry_hashes=[row[1] for row in rows], **figures)
    return {"day": day.isoformat(), **figures, "prev_hash": previous or "", "hash": digest}


def _digest_fields(digest):
    return {
        "day": digest.day.isoformat(),
        "count": digest.count,
        "first_seq": digest.first_seq,
        "last_seq": digest.last_seq,
        "prev_hash": digest.prev_hash,
        "hash": digest.hash,
    }


def _sign(key, payload):
    return base64.b64encode(key.sign(canonical(payload).encode())).decode()


def _previous_of(signature):
    return hashlib.sha256(base64.b64decode(signature)).hexdigest() if signature else ""


def _write_anchor(*, key, storage, previous, kind, seq, head_hash, digest):
    number = previous.number + 1 if previous is not None else 1
    prior_seq = previous.seq if previous is not None else 0
    payload = {
        "anchor": number,
        "kind": kind,
        "at": timezone.now().isoformat(),
        "previous": _previous_of(previous.signature if previous is not None else ""),
        "head": {"seq": seq, "hash": head_hash},
        "entries": _entries_after(prior_seq, seq),
        "digest": digest,
    }
    name = object_name(number, kind)
    if storage.exists(name):
        return _adopt(storage, name, key, payload)
    signature = _sign(key, payload)
    timestamp = ""
    if settings.AUDIT_TSA_URL:
        try:
            token = request_timestamp(settings.AUDIT_TSA_URL, base64.b64decode(signature))
            timestamp = base64.b64encode(token).decode()
        except TimestampError as error:
            logger.warning("Audit anchor %s written without a timestamp: %s", number, error)
    _write_once(storage, name, _object_bytes(payload, signature, timestamp, key.public_key()))
    return AuditAnchor.objects.create(
        number=number,
        kind=kind,
        seq=seq,
        key=name,
        payload=canonical(payload),
        signature=signature,
        timestamp=timestamp,
        created_at=parse_datetime(payload["at"]),
    )


def _adopt(storage, name, key, expected):
    """An object stored by an anchoring that stopped before its row was written: take it in if it is
    ours and follows the same previous anchor, else refuse (it is never replaced)."""
    try:
        payload, signature, timestamp = _read_object(storage, name)
    except (ValueError, KeyError, TypeError) as error:
        raise AnchorConflict(f"{name} exists and is not an anchor") from error
    try:
        key.public_key().verify(base64.b64decode(signature), canonical(payload).encode())
    except (InvalidSignature, ValueError) as error:
        raise AnchorConflict(f"{name} exists and is not signed with this key") from error
    same = {field: payload.get(field) for field in ("anchor", "kind", "previous")}
    if same != {field: expected[field] for field in ("anchor", "kind", "previous")}:
        raise AnchorConflict(f"{name} exists and follows another anchor")
    return AuditAnchor.objects.create(
        number=payload["anchor"],
        kind=payload["kind"],
        seq=payload["head"]["seq"],
        key=name,
        payload=canonical(payload),
        signature=signature,
        timestamp=timestamp,
        created_at=parse_datetime(payload["at"]),
    )


def anchor():
    """Anchor what is not anchored yet: each sealed day without an anchor, then the chain's head and
    the current day's running digest if entries were written since the last anchor. Returns the new
    anchors ([] without a signing key, or while another process anchors)."""
    key = signing_key()
    if key is None:
        logger.info("Audit anchoring skipped: no AUDIT_SIGNING_KEY (nor AUDIT_SIGNING_KEY_FILE).")
        return []
    if not cache.add(LOCK, "1", timeout=LOCK_SECONDS):
        return []
    try:
        return _anchor_all(key, anchor_storage())
    finally:
        cache.delete(LOCK)


def _anchor_all(key, storage):
    written = []
    previous = AuditAnchor.objects.order_by("-number").first()
    last_day = AuditAnchor.objects.filter(kind=AuditAnchor.Kind.DAY).order_by("-number").first()
    sealed = AuditDigest.objects.order_by("day")
    if last_day is not None:
        sealed = sealed.filter(day__gt=json.loads(last_day.payload)["digest"]["day"])
    for digest in sealed:
        seq = max(previous.seq if previous else 0, digest.last_seq or 0)
        head_hash = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first() or ""
        with transaction.atomic():
            previous = _write_anchor(
                key=key,
                storage=storage,
                previous=previous,
                kind=AuditAnchor.Kind.DAY,
                seq=seq,
                head_hash=head_hash,
                digest=_digest_fields(digest),
            )
        written.append(previous)
    head = AuditChainHead.objects.values("seq", "hash").first() or {"seq": 0, "hash": ""}
    if head["seq"] > (previous.seq if previous else 0):
        today = local_day(timezone.now())
        with transaction.atomic():
            previous = _write_anchor(
                key=key,
                storage=storage,
                previous=previous,
                kind=AuditAnchor.Kind.HOUR,
                seq=head["seq"],
                head_hash=head["hash"],
                digest=running_digest(today, head["seq"]),
            )
        written.append(previous)
    return written
