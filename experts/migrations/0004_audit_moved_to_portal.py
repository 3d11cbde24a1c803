"""The experts' audit trail moves onto the portal's single chain (`portal.audit`).

Existing entries are re-chained into `portal.AuditEntry`, in the order they were written, with the
same author and time and the actions the services now record; then the experts' table is dropped.
"""

import json

from django.db import migrations

from portal.audit import canonical, chain_hash, entry_fields


def _moved(kind, payload):
    """(action, before, after) of an old entry, as the services now record them."""
    if kind == "accreditation":
        before = {"status": payload["from"]} if payload["from"] else None
        return (
            "accreditation.changed",
            before,
            {
                "status": payload["to"],
                "valid_until": payload["valid_until"],
                "comment": payload["comment"],
            },
        )
    if kind == "transition":
        before = {"status": payload["from"]} if payload["from"] else None
        return f"assignment.{payload['to']}", before, {"status": payload["to"], "comment": payload["comment"]}
    if kind == "visit":
        return "visit.logged", None, payload
    return "review.submitted", None, payload


def move_entries(apps, schema_editor):
    Old = apps.get_model("experts", "AuditEntry")
    Entry = apps.get_model("portal", "AuditEntry")
    Head = apps.get_model("portal", "AuditChainHead")
    Assignment = apps.get_model("experts", "Assignment")
    old = list(Old.objects.order_by("at", "pk"))
    if not old:
        return
    head, _created = Head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": ""})
    regions = dict(Assignment.objects.values_list("pk", "company__region_id"))
    seq, prev_hash = head.seq, head.hash
    for entry in old:
        model, pk = entry.chain.split(":", 1)
        action, before, after = _moved(entry.kind, json.loads(entry.payload))
        seq += 1
        before_text = "" if before is None else canonical(before)
        after_text = canonical(after)
        region_id = regions.get(int(pk)) if model == "assignment" else None
        subject = f"experts.{model}:{pk}"
        digest = chain_hash(
            prev_hash,
            entry_fields(
                seq=seq,
                at=entry.at,
                by_id=entry.by_id,
                action=action,
                subject=subject,
                region_id=region_id,
                before=before_text,
                after=after_text,
            ),
        )
        Entry.objects.create(
            seq=seq,
            at=entry.at,
            by_id=entry.by_id,
            action=action,
            subject_app="experts",
            subject_model=model,
            subject_pk=pk,
            region_id=region_id,
            before=before_text,
            after=after_text,
            prev_hash=prev_hash,
            hash=digest,
        )
        prev_hash = digest
    Head.objects.filter(pk=1).update(seq=seq, hash=prev_hash)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0003_audit_trail"),
        ("portal", "0004_audit_trail"),
    ]

    operations = [
        migrations.RunPython(move_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEntry"),
    ]
