"""The closing statement's figures: one selector (`closing_statement`) read by the PDF, the CSV, the
XLSX and the statement page alike, so that they all show the same numbers, which are the ledger's.

Per company: the amount committed at acceptance (Σ its ledger commitments), what it spent (its
expenses), what was certified and paid on its payment claims, what went back to the programme (Σ its
ledger releases: at completion, withdrawal or the closing) and what stays committed; with the totals
and the yearly tranches. A fixed number of queries whatever the number of companies.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, Q, Sum, Value, When

from portal.money import ZERO, cents
from regions.models import BudgetTranche, Enrolment, LedgerEntry


@dataclass
class StatementRow:
    company: str
    siret: str
    committed: Decimal = ZERO  # at acceptance (Σ ledger commitments)
    spent: Decimal = ZERO
    certified: Decimal = ZERO  # Σ certified payment claims (the enrolment's running total)
    paid: Decimal = ZERO  # Σ payments of its claims (the enrolment's running total)
    released: Decimal = ZERO  # Σ ledger releases, as a positive amount
    budget_share: Decimal = ZERO  # committed at acceptance, in % of the budget

    @property
    def still_committed(self):
        return self.committed - self.released


@dataclass
class Statement:
    programme: object
    rows: list
    total: StatementRow
    tranches: list = field(default_factory=list)

    @property
    def budget(self):
        return self.programme.budget

    @property
    def unused(self):
        """The part of the budget never committed, or committed and released."""
        return self.programme.budget - self.total.still_committed


def _share(amount, budget):
    return (amount * 100 / budget).quantize(Decimal("0.01")) if budget else ZERO


def closing_statement(programme):
    """The statement of `programme` (any status; the figures are final once it is settled). Three queries;
    certified and paid are the enrolments' running totals, which `reconcile_budgets` checks against the
    claims, their payments and the ledger."""
    money = DecimalField(max_digits=16, decimal_places=2)
    per_enrolment = {
        row["enrolment"]: row
        for row in LedgerEntry.objects.filter(programme=programme, enrolment__isnull=False)
        .order_by()
        .values("enrolment")
        .annotate(
            committed=Sum(
                Case(When(kind=LedgerEntry.Kind.COMMIT, then="amount"), default=Value(ZERO), output_field=money)
            ),
            released=Sum(
                Case(When(kind=LedgerEntry.Kind.RELEASE, then="amount"), default=Value(ZERO), output_field=money)
            ),
        )
    }
    enrolments = list(
        Enrolment.objects.filter(Q(pk__in=list(per_enrolment)) | Q(spent_total__gt=0), programme=programme)
        .order_by("company__name", "company_id", "pk")
        .values("pk", "company_id", "company__name", "company__siret", "spent_total", "certified_total", "paid_total")
    )
    rows = {}
    for enrolment in enrolments:
        row = rows.setdefault(
            enrolment["company_id"], StatementRow(company=enrolment["company__name"], siret=enrolment["company__siret"])
        )
        ledger = per_enrolment.get(enrolment["pk"], {})
        row.committed += cents(ledger.get("committed") or ZERO)
        row.released -= cents(ledger.get("released") or ZERO)
        row.spent += enrolment["spent_total"]
        row.certified += enrolment["certified_total"]
        row.paid += enrolment["paid_total"]
    total = StatementRow(company="", siret="")
    for row in rows.values():
        row.budget_share = _share(row.committed, programme.budget)
        for name in ("committed", "spent", "certified", "paid", "released"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.budget_share = _share(total.committed, programme.budget)
    tranches = list(BudgetTranche.objects.filter(programme=programme).order_by("year"))
    return Statement(programme=programme, rows=list(rows.values()), total=total, tranches=tranches)
