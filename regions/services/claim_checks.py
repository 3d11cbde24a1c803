"""Checks over payment claims, beside the budget's: `reconcile_claims` (called by
`regions.services.reconcile.reconcile`, so `manage.py reconcile_budgets` runs it) and `verify_claims`
(registered on the audit trail, so `manage.py verify_audit` runs it). Read-only."""

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portal.audit import Problem, decoded
from portal.money import ZERO, cents, money_text
from regions.models import ClaimPayment, Enrolment, LedgerEntry, PaymentClaim


def _sum(queryset, column, group="enrolment_id"):
    inner = queryset.order_by().values(group).annotate(total=Sum(column)).values("total")
    return Coalesce(
        Subquery(inner, output_field=DecimalField(max_digits=16, decimal_places=2)),
        Value(ZERO, output_field=DecimalField(max_digits=16, decimal_places=2)),
    )


def reconcile_claims(programmes):
    """Problems in the claims of the enrolments of `programmes` (a queryset), per enrolment:

    - Σ amounts certified of the certified and paid claims = its certified total, and = Σ of its
      ledger's `claim_certified` entries;
    - Σ payments = its paid total, and = Σ of its ledger's `claim_paid` entries;
    - 0 ≤ paid ≤ certified, and spent + certified ≤ committed;
    - every paid claim was paid exactly its amount certified.
    One aggregate query over the enrolments, and one over the paid claims."""
    enrolment = OuterRef("pk")
    claims = PaymentClaim.objects.filter(enrolment=enrolment, status__in=PaymentClaim.CERTIFIED_STATUSES)
    payments = ClaimPayment.objects.filter(claim__enrolment=enrolment)
    ledger = LedgerEntry.objects.filter(enrolment=enrolment)
    rows = (
        Enrolment.objects.filter(programme__in=programmes.values("pk"))
        .annotate(
            sum_certified=_sum(claims, "certified_amount"),
            sum_paid=_sum(payments, "amount", group="claim__enrolment_id"),
            ledger_certified=_sum(ledger.filter(kind=LedgerEntry.Kind.CLAIM_CERTIFIED), "amount"),
            ledger_paid=_sum(ledger.filter(kind=LedgerEntry.Kind.CLAIM_PAID), "amount"),
        )
        .values(
            "pk",
            "committed_amount",
            "spent_total",
            "certified_total",
            "paid_total",
            "sum_certified",
            "sum_paid",
            "ledger_certified",
            "ledger_paid",
        )
        .order_by("pk")
    )
    problems = []
    for row in rows:
        label = f"enrolment {row['pk']}"
        certified, paid = row["certified_total"], row["paid_total"]
        checks = [
            (
                cents(row["sum_certified"]) == certified,
                f"Σ claims certified {cents(row['sum_certified'])} ≠ certified {certified}",
            ),
            (
                cents(row["ledger_certified"]) == certified,
                f"ledger certifications {cents(row['ledger_certified'])} ≠ certified {certified}",
            ),
            (cents(row["sum_paid"]) == paid, f"Σ payments {cents(row['sum_paid'])} ≠ paid {paid}"),
            (cents(row["ledger_paid"]) == paid, f"ledger payments {cents(row['ledger_paid'])} ≠ paid {paid}"),
            (ZERO <= paid <= certified, f"expected 0 ≤ paid {paid} ≤ certified {certified}"),
            (
                row["spent_total"] + certified <= row["committed_amount"],
                f"spent {row['spent_total']} + certified {certified} > committed {row['committed_amount']}",
            ),
        ]
        problems += [f"{label}: {message}" for ok, message in checks if not ok]
    mispaid = ClaimPayment.objects.filter(claim__enrolment__programme__in=programmes.values("pk")).values_list(
        "claim_id", "amount", "claim__certified_amount", "claim__status"
    )
    for claim_id, amount, certified, status in mispaid:
        if amount != certified or status != PaymentClaim.Status.PAID:
            problems.append(f"claim {claim_id}: paid {amount} while {status} at {certified} certified")
    return problems


def verify_claims():
    """Problems where a claim's status or amount certified, or an enrolment's certified or paid
    total, differs from its last audited value (an edit that went around the services)."""
    from portal.models import AuditEntry

    claims, totals = {}, {}
    entries = (
        AuditEntry.objects.filter(subject_app="regions", subject_model="paymentclaim")
        .order_by("seq")
        .values_list("subject_pk", "after")
    )
    for pk, after in entries.iterator(chunk_size=2000):
        after = decoded(after) or {}
        if "status" in after:
            claims[pk] = (after["status"], after.get("certified"))
        if "enrolment" in after and "enrolment_certified" in after:
            totals[str(after["enrolment"])] = (after["enrolment_certified"], after.get("enrolment_paid"))
    problems = []
    for pk, status, certified in PaymentClaim.objects.values_list("pk", "status", "certified_amount"):
        if claims.get(str(pk)) != (status, money_text(certified)):
            problems.append(
                Problem(
                    "the claim's status or amount certified differs from its last audited step",
                    subject=f"regions.paymentclaim:{pk}",
                )
            )
    audited = Enrolment.objects.filter(pk__in=[int(pk) for pk in totals]).values_list(
        "pk", "certified_total", "paid_total"
    )
    for pk, certified, paid in audited:
        if totals[str(pk)] != (money_text(certified), money_text(paid)):
            problems.append(
                Problem(
                    f"the enrolment's certified {money_text(certified)} and paid {money_text(paid)} differ from "
                    f"their last audited values {totals[str(pk)][0]} and {totals[str(pk)][1]}",
                    subject=f"regions.enrolment:{pk}",
                )
            )
    return problems
