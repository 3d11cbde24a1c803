"""The audit trail anchored outside the database: signed with a key the database never holds, written
once to the file storage, timestamped by an RFC 3161 authority; `verify_audit` names an entry rewritten
and re-hashed in SQL after its anchor, and reports anchors missing, changed or forged."""

import base64
import json
import uuid

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from portal import audit
from portal.audit_anchor_checks import verify_anchors
from portal.audit_anchors import (
    AnchorConflict,
    _write_once,
    anchor,
    anchor_storage,
    new_key_pem,
    object_name,
    signing_key,
    verify_key,
)
from portal.models import AuditAnchor, AuditChainHead, AuditDigest, AuditEntry
from portal.storage import is_object_storage
from portal.tasks import anchor_audit_chain, seal_audit_days
from tests.portal.local_tsa import LocalTSA
from tests.portal.test_audit import at_paris, sql, write

pytestmark = pytest.mark.django_db

FILESYSTEM = "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def audit_storage(request, settings, tmp_path):
    """An "audit" storage of this test's own, on the pass's file storage: a folder on disk, or a prefix
    of this test's own on the S3-compatible server (CI's second pass, or after `object_storage`)."""
    default = settings.STORAGES["default"]
    if default["BACKEND"] == FILESYSTEM:
        audit_files = {"BACKEND": FILESYSTEM, "OPTIONS": {"location": str(tmp_path / "audit-storage")}}
    else:
        request.getfixturevalue("_object_store_of_the_suite")  # the bucket exists
        location = f"{default['OPTIONS'].get('location') or 'suite'}/audit-{uuid.uuid4().hex[:8]}"
        audit_files = {**default, "OPTIONS": {**default["OPTIONS"], "location": location}}
    settings.STORAGES = {**settings.STORAGES, "audit": audit_files}
    return anchor_storage()


@pytest.fixture
def key_pem(settings, tmp_path, audit_storage):
    """A signing key in a file, as production keeps it; its PEM text."""
    pem, _public = new_key_pem()
    path = tmp_path / "audit-signing-key.pem"
    path.write_text(pem)
    settings.AUDIT_SIGNING_KEY_FILE = str(path)
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_VERIFY_KEY = ""
    settings.AUDIT_TSA_URL = ""
    return pem


def stored(storage, name):
    with storage.open(name, "rb") as handle:
        return json.loads(handle.read().decode())


def problems_text():
    return [str(problem) for problem in audit.verify()]


def rewrite_and_rehash(from_seq, after='{"n":99}'):
    """What someone who can write SQL does: edit entry `from_seq`, recompute every hash after it, the
    chain head and every digest from its day on. The chain then checks against itself."""
    previous = AuditEntry.objects.filter(seq=from_seq - 1).values_list("hash", flat=True).first() or ""
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.after = after if entry.seq == from_seq else entry.after
        entry.prev_hash = previous
        entry.hash = audit.compute_hash(entry)
        sql(
            f"UPDATE {AuditEntry._meta.db_table} SET after = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.after, entry.prev_hash, entry.hash, entry.pk],
        )
        previous = entry.hash
    sql(f"UPDATE {AuditChainHead._meta.db_table} SET hash = %s", [previous])
    by_day = audit.verify_chain()[1]
    prev_digest = ""
    for digest in AuditDigest.objects.order_by("day"):
        rows = by_day.get(digest.day, [])
        new_hash = audit.digest_hash(
            prev_hash=prev_digest,
            day=digest.day,
            count=len(rows),
            first_seq=rows[0][0] if rows else None,
            last_seq=rows[-1][0] if rows else None,
            entry_hashes=[row[1] for row in rows],
        )
        sql(
            f"UPDATE {AuditDigest._meta.db_table} SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev_digest, new_hash, digest.pk],
        )
        prev_digest = new_hash


# -- anchoring ---------------------------------------------------------------------------------------------


def test_without_a_key_nothing_is_anchored_and_the_trail_still_verifies(settings, audit_storage):
    settings.AUDIT_SIGNING_KEY = settings.AUDIT_SIGNING_KEY_FILE = settings.AUDIT_VERIFY_KEY = ""
    write(2)
    assert anchor() == []
    report = verify_anchors()
    assert report.problems == []
    assert any("not anchored" in note for note in report.notes)


def test_an_anchor_is_signed_written_once_to_the_storage_and_copied_in_the_database(key_pem, audit_storage):
    entries = write(3)

    (first,) = anchor()

    assert (first.number, first.kind, first.seq) == (1, "hour", 3)
    document = stored(audit_storage, object_name(1, "hour"))
    payload = document["payload"]
    assert payload["entries"] == [[entry.seq, entry.hash] for entry in entries]
    assert payload["head"] == {"seq": 3, "hash": entries[-1].hash}
    assert payload["digest"]["count"] == 3 and payload["previous"] == ""
    verify_key().verify(base64.b64decode(document["signature"]), audit.canonical(payload).encode())
    assert AuditAnchor.objects.get().payload == audit.canonical(payload)
    assert verify_anchors().problems == []


def test_the_next_anchor_covers_only_the_new_entries_and_names_the_previous_one(key_pem, audit_storage):
    write(2)
    (first,) = anchor()
    assert anchor() == []  # nothing new
    later = write(2)

    (second,) = anchor()

    payload = json.loads(second.payload)
    assert payload["entries"] == [[entry.seq, entry.hash] for entry in later]
    assert payload["previous"] == __import__("hashlib").sha256(base64.b64decode(first.signature)).hexdigest()
    assert audit.verify() == []


def test_a_sealed_day_is_anchored_with_its_digest(key_pem, audit_storage):
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(2)
    with time_machine.travel(at_paris(2026, 3, 3, 0, 10), tick=False):
        assert seal_audit_days() == 1  # the nightly task seals, then anchors
        digest = AuditDigest.objects.get()
        (day_anchor,) = AuditAnchor.objects.all()
        assert day_anchor.kind == "day"
        assert json.loads(day_anchor.payload)["digest"]["hash"] == digest.hash
        assert audit.verify() == []


def test_an_existing_object_is_never_replaced(key_pem, audit_storage):
    write(1)
    audit_storage.save(object_name(1, "hour"), ContentFile(b'{"someone": "else"}'))
    with pytest.raises(AnchorConflict):
        anchor()
    assert stored(audit_storage, object_name(1, "hour")) == {"someone": "else"}
    assert not AuditAnchor.objects.exists()


def test_an_object_stored_before_a_crash_is_taken_in_by_the_next_run(key_pem, audit_storage, monkeypatch):
    write(2)
    real_create = AuditAnchor.objects.create

    def crash(**fields):
        raise ConnectionError("the database went away after the object was written")

    monkeypatch.setattr(AuditAnchor.objects, "create", crash)
    with pytest.raises(ConnectionError):
        anchor()
    monkeypatch.setattr(AuditAnchor.objects, "create", real_create)
    assert audit_storage.exists(object_name(1, "hour")) and not AuditAnchor.objects.exists()

    (adopted,) = anchor()

    assert adopted.number == 1
    assert audit.verify() == []


def test_the_hourly_beat_task_anchors_and_the_schedule_runs_it_every_hour(key_pem, audit_storage):
    write(1)
    assert anchor_audit_chain() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["anchor-audit-chain"]
    assert entry["task"] == anchor_audit_chain.name
    assert entry["schedule"].minute == {5} and len(entry["schedule"].hour) == 24


def test_anchor_audit_command_writes_and_says_so(key_pem, audit_storage, capsys):
    write(2)
    call_command("anchor_audit")
    assert "anchor 1 (hour) up to entry 2" in capsys.readouterr().out


def test_anchor_audit_command_refuses_without_a_key(settings, audit_storage):
    settings.AUDIT_SIGNING_KEY = settings.AUDIT_SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="No signing key"):
        call_command("anchor_audit")


# -- what SQL alone cannot hide ---------------------------------------------------------------------------


def test_an_entry_rewritten_and_rehashed_in_sql_after_its_anchor_is_named_by_verify_audit(key_pem, capsys):
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(5)
    with time_machine.travel(at_paris(2026, 3, 3, 0, 10), tick=False):
        seal_audit_days()
        write(1)
        anchor()

        rewrite_and_rehash(2)

        # The chain and the digests check against themselves: only the anchors tell.
        chain_problems, by_day, _seq, _hash = audit.verify_chain()
        assert chain_problems == [] and audit.verify_digests(by_day) == []
        with pytest.raises(CommandError):
            call_command("verify_audit")
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith("First broken link: #2: was changed after anchor 1")
    assert "4 later anchored entries (#3–#6) no longer carry their anchored hashes" in err


def test_on_object_storage_too_an_entry_rewritten_and_rehashed_is_named(object_storage, key_pem, audit_storage):
    """The anchors as production keeps them: objects of an S3-compatible bucket, on every pass."""
    assert is_object_storage(audit_storage)
    write(4)
    anchor()
    assert stored(audit_storage, object_name(1, "hour"))["payload"]["head"]["seq"] == 4
    rewrite_and_rehash(3)
    assert problems_text()[0].startswith("#3: was changed after anchor 1")
    with pytest.raises(AnchorConflict):  # the bucket would overwrite; the portal never replaces an anchor
        _write_once(audit_storage, object_name(1, "hour"), b"{}")


def test_forging_anchor_rows_in_sql_does_not_hide_it(key_pem, audit_storage):
    """With the database alone, the attacker can rewrite the rows of AuditAnchor too, but cannot sign:
    the stored objects, out of SQL's reach, still say what the chain was."""
    write(3)
    anchor()
    rewrite_and_rehash(2)
    row = AuditAnchor.objects.get()
    forged = json.loads(row.payload)
    forged["entries"] = [[seq, entry_hash] for seq, entry_hash in AuditEntry.objects.values_list("seq", "hash")]
    sql(f"UPDATE {AuditAnchor._meta.db_table} SET payload = %s WHERE id = %s", [audit.canonical(forged), row.pk])

    problems = problems_text()

    assert problems[0].startswith("#2: was changed after anchor 1")
    assert any("the database's copy differs from the stored object" in problem for problem in problems)


def test_deleting_the_anchor_rows_in_sql_does_not_hide_it(key_pem, audit_storage):
    write(3)
    anchor()
    rewrite_and_rehash(3)
    sql(f"DELETE FROM {AuditAnchor._meta.db_table}", [])

    problems = problems_text()

    assert problems[0].startswith("#3: was changed after anchor 1")
    assert any("its row is missing from the database" in problem for problem in problems)


def test_the_signing_key_is_nowhere_in_the_database(key_pem, audit_storage):
    write(2)
    anchor()
    private = signing_key().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    secrets = {private.hex(), base64.b64encode(private).decode(), key_pem.strip().splitlines()[1]}
    for model in apps.get_models():
        for row in model._base_manager.values_list():
            text = " ".join(str(value) for value in row)
            assert not any(secret in text for secret in secrets), model


def test_an_anchor_signed_with_another_key_is_refused(key_pem, audit_storage, settings, tmp_path):
    write(2)
    anchor()
    pem, _public = new_key_pem()
    other = tmp_path / "other.pem"
    other.write_text(pem)
    settings.AUDIT_SIGNING_KEY_FILE = str(other)
    problems = problems_text()
    assert any("the signature does not match its content" in problem for problem in problems)


def test_a_stored_object_deleted_is_reported(key_pem, audit_storage):
    write(2)
    anchor()
    audit_storage.delete(object_name(1, "hour"))
    assert any("its stored object is missing" in problem for problem in problems_text())


def test_a_stored_object_replaced_without_the_key_is_reported(key_pem, audit_storage):
    """Someone with the storage's credentials but not the key deletes an object and writes another."""
    write(2)
    anchor()
    name = object_name(1, "hour")
    document = stored(audit_storage, name)
    document["payload"]["entries"][0][1] = "0" * 64
    audit_storage.delete(name)
    audit_storage.save(name, ContentFile(json.dumps(document).encode()))
    problems = problems_text()
    assert any("the signature does not match its content" in problem for problem in problems)
    assert any("the database's copy differs" in problem for problem in problems)


def test_a_sealed_digest_rewritten_in_sql_is_reported_against_its_anchor(key_pem, audit_storage):
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(1)
    with time_machine.travel(at_paris(2026, 3, 3, 0, 10), tick=False):
        seal_audit_days()
        sql(f"UPDATE {AuditDigest._meta.db_table} SET count = %s", [7])
        problems = problems_text()
    assert "digest of 2026-03-02: differs from anchor 1 (audit/anchors/00000001-day.json), which sealed it" in problems


def test_entries_left_unanchored_too_long_mean_the_anchoring_stopped(key_pem, audit_storage):
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(1)
        anchor()
        write(1)
    with time_machine.travel(at_paris(2026, 3, 2, 14), tick=False):
        problems = problems_text()
    assert any(problem.startswith("#2: not anchored for more than 3:00:00") for problem in problems)


def test_verify_audit_reports_the_anchors_it_checked(key_pem, audit_storage, capsys):
    write(2)
    anchor()
    call_command("verify_audit")
    assert "1 anchors outside the database up to entry 2 (0 timestamped)" in capsys.readouterr().out


# -- timestamps (a local RFC 3161 authority: openssl ts) ----------------------------------------------------


@pytest.fixture(scope="module")
def tsa():
    with LocalTSA() as authority:
        yield authority


@pytest.fixture
def timestamped(key_pem, tsa, settings):
    settings.AUDIT_TSA_URL = tsa.url
    settings.AUDIT_TSA_CA_FILE = tsa.ca_file
    tsa.fail = False
    return tsa


def test_an_anchor_is_timestamped_and_the_timestamp_checks(timestamped, audit_storage, capsys):
    write(2)
    (written,) = anchor()
    assert written.timestamp
    assert stored(audit_storage, written.key)["timestamp"] == written.timestamp
    call_command("verify_audit")
    assert "(1 timestamped)" in capsys.readouterr().out


def test_a_timestamp_of_other_bytes_is_reported(timestamped, audit_storage):
    write(2)
    (written,) = anchor()
    other = base64.b64encode(timestamped.reply(_request_for(b"other bytes"))).decode()
    document = stored(audit_storage, written.key)
    document["timestamp"] = other
    audit_storage.delete(written.key)
    audit_storage.save(written.key, ContentFile(json.dumps(document).encode()))
    assert any("the timestamp stamps other bytes" in problem for problem in problems_text())


def test_a_timestamp_checked_against_another_authority_is_reported(timestamped, audit_storage, settings):
    write(2)
    anchor()
    with LocalTSA() as other:
        settings.AUDIT_TSA_CA_FILE = other.ca_file
        problems = problems_text()
    assert any("the timestamp's signature does not check" in problem for problem in problems)


def test_when_the_authority_is_down_the_anchor_is_written_without_a_timestamp(timestamped, audit_storage, capsys):
    timestamped.fail = True
    write(1)
    (written,) = anchor()
    assert written.timestamp == ""
    call_command("verify_audit")
    assert "anchors without a timestamp" in capsys.readouterr().out


def _request_for(data):
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    return TimestampRequestBuilder().data(data).hash_algorithm(HashAlgorithm.SHA256).build().as_bytes()


# -- keys and storage -----------------------------------------------------------------------------------------


def test_a_key_may_come_from_the_environment_as_32_bytes_in_base64(settings):
    pem, public = new_key_pem()
    raw = serialization.load_pem_private_key(pem.encode(), password=None).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_SIGNING_KEY = base64.b64encode(raw).decode()
    settings.AUDIT_VERIFY_KEY = ""
    public_raw = verify_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert base64.b64encode(public_raw).decode() == public


def test_a_verifier_holding_only_the_public_key_checks_the_anchors(key_pem, audit_storage, settings):
    write(2)
    anchor()
    public = signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_VERIFY_KEY = base64.b64encode(public).decode()
    assert signing_key() is None
    assert audit.verify() == []


@pytest.mark.parametrize("value", ["not a key", base64.b64encode(b"x" * 31).decode()])
def test_a_key_that_cannot_be_read_is_a_configuration_error(settings, value):
    settings.AUDIT_SIGNING_KEY_FILE = ""
    settings.AUDIT_SIGNING_KEY = value
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519 key"):
        signing_key()


def test_the_default_storage_holds_the_anchors_when_no_audit_storage_is_defined(settings):
    from django.core.files.storage import storages

    settings.STORAGES = {name: value for name, value in settings.STORAGES.items() if name != "audit"}
    assert anchor_storage() is storages["default"]


def test_audit_signing_key_command_prints_a_pem_and_its_public_key(capsys):
    call_command("audit_signing_key")
    out, err = capsys.readouterr()
    assert out.startswith("-----BEGIN PRIVATE KEY-----")
    assert "AUDIT_VERIFY_KEY" in err
    assert connection.vendor  # nothing written: the key is printed, never stored
