"""Reconciliation of the budget ledger: the running totals against the rows they summarise, and the
hash chain of the ledger. Read-only; `manage.py reconcile_budgets` runs it on demand, the tests after
every scenario."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portal.money import cents
from regions.models import BudgetTranche, Enrolment, Expense, LedgerEntry, Programme
from regions.services.claim_checks import reconcile_claims

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass
class Reconciliation:
    programmes: int = 0
    enrolments: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def __bool__(self):
        return self.ok


def _subquery_sum(model, outer_field, column, **filters):
    inner = (
        model.objects.filter(**{outer_field: OuterRef("pk")}, **filters)
        .order_by()
        .values(outer_field)
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(inner, output_field=DecimalField(max_digits=16, decimal_places=2)), ZERO)


def _ledger_sum(kinds):
    return _subquery_sum(LedgerEntry, "programme", "amount", kind__in=kinds)


def reconcile(programme=None):
    """Check every money invariant of one programme (or all) and return the problems found.

    - Σ committed amounts of the enrolments = the programme's committed total ≤ its budget;
    - Σ expenses not cancelled = each enrolment's spent total ≤ its committed amount ≤ its cap;
    - Σ enrolments' spent = the programme's spent total;
    - the ledger: budget entries sum to the budget, commits − releases to the committed total,
      expenses − cancellations to the spent total, the last entry's totals are the current ones,
      and the hash chain is unbroken;
    - the payment claims (`regions.services.claim_checks.reconcile_claims`): Σ paid ≤ Σ certified ≤
      committed − spent per enrolment, the totals equal to the claims, payments and ledger entries.
    - the yearly tranches (`reconcile_tranches`).
    Runs a fixed number of aggregate queries plus one pass over the ledger rows for the hash chain.
    """
    programmes = Programme.objects.all() if programme is None else Programme.objects.filter(pk=programme.pk)
    report = Reconciliation()
    rows = programmes.annotate(
        sum_committed=_subquery_sum(Enrolment, "programme", "committed_amount"),
        sum_spent=_subquery_sum(Enrolment, "programme", "spent_total"),
        ledger_budget=_ledger_sum([LedgerEntry.Kind.BUDGET]),
        ledger_committed=_ledger_sum([LedgerEntry.Kind.COMMIT, LedgerEntry.Kind.RELEASE]),
        ledger_spent=_ledger_sum([LedgerEntry.Kind.EXPENSE, LedgerEntry.Kind.EXPENSE_CANCELLED]),
    ).order_by("pk")
    for row in rows:
        for name in ("sum_committed", "sum_spent", "ledger_budget", "ledger_committed", "ledger_spent"):
            setattr(row, name, cents(getattr(row, name)))
        report.programmes += 1
        label = f"programme {row.pk} ({row.name})"
        checks = [
            (
                row.sum_committed == row.committed_total,
                f"Σ committed amounts {row.sum_committed} ≠ committed total {row.committed_total}",
            ),
            (row.committed_total <= row.budget, f"committed {row.committed_total} > budget {row.budget}"),
            (row.sum_spent == row.spent_total, f"Σ enrolments' spent {row.sum_spent} ≠ spent total {row.spent_total}"),
            (row.spent_total <= row.committed_total, f"spent {row.spent_total} > committed {row.committed_total}"),
            (row.ledger_budget == row.budget, f"ledger budget {row.ledger_budget} ≠ budget {row.budget}"),
            (
                row.ledger_committed == row.committed_total,
                f"ledger commitments {row.ledger_committed} ≠ committed {row.committed_total}",
            ),
            (row.ledger_spent == row.spent_total, f"ledger expenses {row.ledger_spent} ≠ spent {row.spent_total}"),
        ]
        report.problems += [f"{label}: {message}" for ok, message in checks if not ok]

    enrolments = Enrolment.objects.filter(programme__in=programmes.values("pk")).annotate(
        sum_expenses=_subquery_sum(Expense, "enrolment", "amount", cancelled_at__isnull=True)
    )
    for row in enrolments.values("pk", "status", "cap_amount", "committed_amount", "spent_total", "sum_expenses"):
        report.enrolments += 1
        row["sum_expenses"] = cents(row["sum_expenses"])
        label = f"enrolment {row['pk']}"
        if row["sum_expenses"] != row["spent_total"]:
            report.problems.append(f"{label}: Σ expenses {row['sum_expenses']} ≠ spent {row['spent_total']}")
        if not (0 <= row["spent_total"] <= row["committed_amount"] <= row["cap_amount"]):
            report.problems.append(
                f"{label}: expected 0 ≤ spent {row['spent_total']} ≤ committed {row['committed_amount']} ≤ cap {row['cap_amount']}"
            )
        if row["committed_amount"] and row["status"] not in Enrolment.FUNDED:
            report.problems.append(f"{label}: {row['committed_amount']} committed while {row['status']}")

    report.problems += reconcile_claims(programmes)
    report.problems += reconcile_tranches(programmes)
    report.problems += verify_ledger(programmes)
    return report


def reconcile_tranches(programmes):
    """The yearly tranches of `programmes`: their amounts add up to the budget, what is committed on
    them to the committed total, each within its amount and equal to Σ the commitments of the
    enrolments drawn on its year. Three aggregate queries."""
    problems = []
    totals = {
        row["programme"]: row
        for row in BudgetTranche.objects.filter(programme__in=programmes.values("pk"))
        .order_by()
        .values("programme")
        .annotate(amount=Sum("amount"), committed=Sum("committed"))
    }
    drawn = {
        (row["programme"], row["budget_year"]): cents(row["total"])
        for row in Enrolment.objects.filter(programme__in=programmes.values("pk"), committed_amount__gt=0)
        .order_by()
        .values("programme", "budget_year")
        .annotate(total=Sum("committed_amount"))
    }
    years = set()
    for tranche in BudgetTranche.objects.filter(programme__in=programmes.values("pk")).order_by("programme", "year"):
        years.add((tranche.programme_id, tranche.year))
        label = f"programme {tranche.programme_id} tranche {tranche.year}"
        if not (0 <= tranche.committed <= tranche.amount):
            problems.append(f"{label}: expected 0 ≤ committed {tranche.committed} ≤ amount {tranche.amount}")
        enrolments = drawn.get((tranche.programme_id, tranche.year), Decimal("0"))
        if enrolments != tranche.committed:
            problems.append(f"{label}: Σ commitments drawn on it {enrolments} ≠ committed {tranche.committed}")
    for (programme_id, year), total in drawn.items():
        if (programme_id, year) not in years:
            problems.append(f"programme {programme_id}: {total} committed on {year or 'no year'}, which has no tranche")
    for row in programmes.values("pk", "budget", "committed_total"):
        split = totals.get(row["pk"])
        if split is None:
            problems.append(f"programme {row['pk']}: no yearly tranche")
            continue
        if cents(split["amount"]) != row["budget"]:
            problems.append(
                f"programme {row['pk']}: tranches add up to {cents(split['amount'])} ≠ budget {row['budget']}"
            )
        if cents(split["committed"]) != row["committed_total"]:
            problems.append(
                f"programme {row['pk']}: committed on the tranches {cents(split['committed'])} ≠ committed {row['committed_total']}"
            )
    return problems


def verify_ledger(programmes=None):
    """Recompute the hash chain of each programme's ledger; one problem per broken programme (the first
    broken link), and one when the last entry's totals are not the programme's current totals."""
    programmes = Programme.objects.all() if programmes is None else programmes
    problems = []
    current = {row["pk"]: row for row in programmes.values("pk", "budget", "committed_total", "spent_total")}
    entries = LedgerEntry.objects.filter(programme__in=list(current)).order_by("programme", "seq")
    previous = {}
    broken = set()
    for entry in entries.iterator(chunk_size=2000):
        pid = entry.programme_id
        if pid in broken:
            continue
        prev_seq, prev_hash = previous.get(pid, (0, ""))
        if entry.seq != prev_seq + 1 or entry.prev_hash != prev_hash or entry.compute_hash() != entry.hash:
            problems.append(f"programme {pid}: ledger broken at entry #{entry.seq}")
            broken.add(pid)
            continue
        previous[pid] = (entry.seq, entry.hash)
        current[pid]["last"] = entry
    for pid, row in current.items():
        last = row.get("last")
        if pid in broken:
            continue
        if last is None:
            problems.append(f"programme {pid}: no ledger entry")
            continue
        if (last.budget_after, last.committed_after, last.spent_after) != (
            row["budget"],
            row["committed_total"],
            row["spent_total"],
        ):
            problems.append(f"programme {pid}: the last ledger entry's totals differ from the programme's")
    return problems
