"""The portal's audit trail: one append-only chain, sealed day by day, whose verification reports the
first broken link after an edit or a deletion made in SQL."""

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal import audit
from portal.models import AuditChainHead, AuditDigest, AuditEntry
from portal.tasks import seal_audit_days
from tests.portal.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()


def write(count, *, by=None):
    company = CompanyFactory()
    return [
        audit.record(action="test.changed", subject=company, by=by, before={"n": n}, after={"n": n + 1})
        for n in range(count)
    ]


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def first_problem():
    problems = audit.verify()
    assert problems, "the verification found nothing"
    return problems[0]


def test_entries_are_numbered_and_each_carries_the_previous_hash(staff):
    entries = write(3, by=staff)
    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert entries[0].prev_hash == ""
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert AuditChainHead.objects.get().seq == 3
    assert audit.verify() == []


def test_an_entry_keeps_who_when_what_before_and_after(staff):
    company = CompanyFactory()
    entry = audit.record(
        action="test.changed", subject=company, by=staff, before={"a": 1}, after={"a": 2}, region=company.region
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.by, entry.action, entry.subject) == (staff, "test.changed", f"portal.company:{company.pk}")
    assert (entry.before_data, entry.after_data, entry.region_id) == ({"a": 1}, {"a": 2}, company.region_id)
    assert entry.at is not None


def test_the_trail_is_append_only():
    entry = write(1)[0]
    for attempt in (entry.save, entry.delete, AuditEntry.objects.all().delete):
        with pytest.raises(TypeError):
            attempt()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(after="{}")


def test_recording_outside_a_transaction_is_refused(monkeypatch):
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(RuntimeError):
        write(1)


def test_a_past_row_edited_in_sql_is_the_first_broken_link():
    entries = write(5)
    sql(f"UPDATE {AuditEntry._meta.db_table} SET after = %s WHERE id = %s", ['{"n":99}', entries[2].pk])
    problem = first_problem()
    assert problem.seq == 3
    assert "changed after it was written" in problem.message


def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link():
    entries = write(4)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.after = '{"n":99}'
    sql(
        f"UPDATE {AuditEntry._meta.db_table} SET after = %s, hash = %s WHERE id = %s",
        [forged.after, audit.compute_hash(forged), forged.pk],
    )
    problem = first_problem()
    assert problem.seq == 3
    assert "previous entry's hash" in problem.message


def test_a_past_row_deleted_in_sql_is_the_first_broken_link():
    entries = write(5)
    sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    problem = first_problem()
    assert problem.seq == 3
    assert "entry 2 is missing" in problem.message


def test_the_last_row_deleted_in_sql_is_found_by_the_chain_head():
    entries = write(3)
    sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])
    problem = first_problem()
    assert problem.seq == 3
    assert "head" in problem.message


def test_verify_audit_says_ok_on_an_intact_trail(capsys):
    write(2)
    call_command("verify_audit")
    assert "Audit trail OK: 2 entries" in capsys.readouterr().out


def test_verify_audit_fails_and_prints_the_first_broken_link(capsys):
    entries = write(4)
    sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert "First broken link: #3: entry 2 is missing" in capsys.readouterr().err


# -- daily digests -------------------------------------------------------------------------------------


def at_paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_sealing_writes_one_digest_per_past_day_including_quiet_days():
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(2)
    with time_machine.travel(at_paris(2026, 3, 4, 23, 59), tick=False):
        write(1)
    with time_machine.travel(at_paris(2026, 3, 5, 0, 30), tick=False):
        write(1)
        digests = audit.seal()
    assert [(d.day.day, d.count, d.first_seq, d.last_seq) for d in digests] == [
        (2, 2, 1, 2),
        (3, 0, None, None),
        (4, 1, 3, 3),
    ]
    assert digests[1].prev_hash == digests[0].hash
    assert audit.verify() == []


def test_sealing_twice_seals_nothing_more_and_never_today():
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(1)
    with time_machine.travel(at_paris(2026, 3, 3, 9), tick=False):
        assert len(audit.seal()) == 1
        assert audit.seal() == []
    assert list(AuditDigest.objects.values_list("day", flat=True)) == [at_paris(2026, 3, 2).date()]


def test_a_rewritten_chain_is_caught_by_the_seal_of_its_day():
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        entries = write(3)
    with time_machine.travel(at_paris(2026, 3, 3, 9), tick=False):
        audit.seal()
    # A forger edits entry 2 and recomputes every hash from there: the chain alone looks intact.
    previous_hash = entries[0].hash
    for entry in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        entry.after = '{"n":99}' if entry.seq == 2 else entry.after
        entry.prev_hash = previous_hash
        entry.hash = audit.compute_hash(entry)
        sql(
            f"UPDATE {AuditEntry._meta.db_table} SET after = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [entry.after, entry.prev_hash, entry.hash, entry.pk],
        )
        previous_hash = entry.hash
    sql(f"UPDATE {AuditChainHead._meta.db_table} SET hash = %s", [previous_hash])
    problems = [str(problem) for problem in audit.verify()]
    assert problems == ["digest of 2026-03-02: the day's entries no longer match the seal (3 sealed, 3 now)"]


def test_a_deleted_digest_is_found():
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(1)
    with time_machine.travel(at_paris(2026, 3, 5, 9), tick=False):
        audit.seal()
    sql(f"DELETE FROM {AuditDigest._meta.db_table} WHERE day = %s", ["2026-03-03"])
    messages = " ".join(str(problem) for problem in audit.verify())
    assert "between 2026-03-02 and 2026-03-04 are missing" in messages


def test_seal_audit_day_command_and_beat_task_seal_past_days(capsys):
    with time_machine.travel(at_paris(2026, 3, 2, 10), tick=False):
        write(1)
    with time_machine.travel(at_paris(2026, 3, 4, 9), tick=False):
        call_command("seal_audit_day", until="2026-03-02")
        assert "1 day(s) sealed" in capsys.readouterr().out
        assert seal_audit_days() == 1  # the 3rd
        with pytest.raises(CommandError):
            call_command("seal_audit_day", until="2026-03-04")
    assert AuditDigest.objects.count() == 2


def test_the_beat_schedule_seals_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["seal-audit-days"]
    assert entry["task"] == seal_audit_days.name


def test_a_missing_chain_head_is_rebuilt_from_the_last_entry():
    write(2)
    sql(f"DELETE FROM {AuditChainHead._meta.db_table}", [])
    entry = write(1)[0]
    assert entry.seq == 3
    assert audit.verify() == []


def test_today_is_not_sealed_by_default():
    write(1)
    assert audit.seal() == []


def test_the_demo_data_is_audited_and_verifies(capsys):
    call_command("seed_demo")
    assert AuditEntry.objects.filter(subject_app="regions").exists()
    assert AuditEntry.objects.filter(subject_app="experts").exists()
    call_command("verify_audit")
    assert "Audit trail OK" in capsys.readouterr().out


def test_the_admin_shows_the_trail_read_only(client):
    write(2)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:portal_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_auditentry_add")).status_code == 403
    entry = AuditEntry.objects.first()
    response = client.post(reverse("admin:portal_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.count() == 2
