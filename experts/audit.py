"""Writing and verifying the experts app's audit trail (`models.AuditEntry`).

The services call `record` inside their transaction, holding the row lock of the chain's subject
(the expert for accreditations, the assignment for its steps, visits and review), so two entries
never race for the same place in a chain. `verify` recomputes every chain and compares the current
state with the last audited one: an accreditation, an assignment status, a visit or a submitted
review changed behind the services' back is reported.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from experts.models import Accreditation, Assignment, AuditEntry, ExpertReview, ReviewAxis, Visit

Kind = AuditEntry.Kind


def expert_chain(expert_id):
    return f"expert:{expert_id}"


def assignment_chain(assignment_id):
    return f"assignment:{assignment_id}"


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot audit {type(value).__name__}")


def canonical(payload):
    """The payload as the text that is hashed: sorted keys, no spaces, decimals and dates as strings."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def record(*, chain, kind, payload, by=None, at=None):
    """Append one entry to `chain`; the caller holds the lock of the chain's subject row."""
    last = AuditEntry.objects.filter(chain=chain).order_by("-seq").values("seq", "hash").first()
    entry = AuditEntry(
        chain=chain,
        seq=(last["seq"] + 1) if last else 1,
        kind=kind,
        payload=canonical(payload),
        by=by,
        at=at or timezone.now(),
        prev_hash=last["hash"] if last else "",
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int | None
    message: str

    def __str__(self):
        return f"{self.chain}#{self.seq if self.seq is not None else '-'}: {self.message}"


def verify_chain(entries):
    """Problems of one chain's entries (in `seq` order): gaps, broken links, hashes that do not match."""
    problems = []
    previous_hash = ""
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            problems.append(Problem(entry.chain, entry.seq, f"expected entry {expected_seq}: an entry is missing"))
        if entry.prev_hash != previous_hash:
            problems.append(Problem(entry.chain, entry.seq, "does not follow the previous entry"))
        if entry.compute_hash() != entry.hash:
            problems.append(Problem(entry.chain, entry.seq, "was changed after it was written"))
        previous_hash = entry.hash
    return problems


def _last_payloads(entries):
    """{kind: payload of the chain's last entry of that kind} and every visit payload by visit id."""
    last, visits = {}, {}
    for entry in entries:
        payload = json.loads(entry.payload)
        last[entry.kind] = payload
        if entry.kind == Kind.VISIT:
            visits[payload["visit"]] = payload
    return last, visits


def verify():
    """Every problem of the audit trail and of the state it vouches for; an empty list when all is well."""
    chains = defaultdict(list)
    for entry in AuditEntry.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        chains[entry.chain].append(entry)
    problems = []
    for entries in chains.values():
        problems += verify_chain(entries)

    for accreditation in Accreditation.objects.all():
        chain = expert_chain(accreditation.expert_id)
        last, _visits = _last_payloads(chains.get(chain, []))
        audited = last.get(Kind.ACCREDITATION)
        current = {"status": accreditation.status, "valid_until": accreditation.valid_until.isoformat()}
        if audited is None or {"status": audited["to"], "valid_until": audited["valid_until"]} != current:
            problems.append(Problem(chain, None, "the current accreditation differs from the last audited change"))

    levels = defaultdict(dict)
    for row in ReviewAxis.objects.filter(review__status=ExpertReview.Status.SUBMITTED).values(
        "review__assignment_id", "axis_code", "validated_level"
    ):
        levels[row["review__assignment_id"]][row["axis_code"]] = row["validated_level"]
    visits = defaultdict(list)
    for visit in Visit.objects.values("pk", "assignment_id", "days", "cost"):
        visits[visit["assignment_id"]].append(visit)

    for assignment in Assignment.objects.values("pk", "status"):
        chain = assignment_chain(assignment["pk"])
        last, audited_visits = _last_payloads(chains.get(chain, []))
        transition = last.get(Kind.TRANSITION)
        if transition is None or transition["to"] != assignment["status"]:
            problems.append(Problem(chain, None, "the assignment's status differs from its last audited step"))
        if assignment["status"] == Assignment.Status.DONE:
            review = last.get(Kind.REVIEW)
            if review is None or review["levels"] != levels.get(assignment["pk"], {}):
                problems.append(Problem(chain, None, "the submitted review differs from the audited one"))
        for visit in visits.get(assignment["pk"], []):
            audited = audited_visits.get(visit["pk"])
            if audited is None or (Decimal(audited["days"]), Decimal(audited["cost"])) != (
                visit["days"],
                visit["cost"],
            ):
                problems.append(Problem(chain, None, f"visit {visit['pk']} differs from the audited one"))
    return problems
