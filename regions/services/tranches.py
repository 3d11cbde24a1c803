"""Yearly tranches of a programme's budget (`regions.models.BudgetTranche`).

Every function here runs under the programme's row lock (`regions.services.ledger.lock_programme`),
taken by its caller: the tranches move with the programme's totals, in the same transaction, so the
budget check of an acceptance and the tranche check see the same state. Amounts are computed in
Decimal from the rows read under the lock and written as values.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.money import ZERO, format_eur, money_text, to_money
from regions.exceptions import TrancheBelowCommitted, TrancheExhausted, TranchesInvalid
from regions.models import BudgetTranche


def acceptance_year():
    """The year whose tranche an acceptance made now draws on (the local calendar year)."""
    return timezone.localdate().year


def tranche_plan(tranches, *, budget, start_date, end_date):
    """The checked split {year: amount} of `budget`; `tranches` is a mapping or (year, amount) pairs.

    Empty: the whole budget on the start year. Each year within the programme's period, at most once,
    each amount zero or more; the amounts add up to the budget. Raises TranchesInvalid.
    """
    pairs = list(tranches.items() if hasattr(tranches, "items") else tranches or ())
    if not pairs:
        return {start_date.year: budget}
    plan = {}
    for year, amount in pairs:
        year, money = int(year), to_money(amount)
        if year in plan:
            raise TranchesInvalid(_("The year %(year)s has two tranches.") % {"year": year})
        if not (start_date.year <= year <= end_date.year):
            raise TranchesInvalid(
                _("The year %(year)s is outside the programme's period (%(start)s to %(end)s).")
                % {"year": year, "start": start_date.year, "end": end_date.year}
            )
        if money is None or money < ZERO:
            raise TranchesInvalid(_("Enter the %(year)s tranche in euros (zero or more).") % {"year": year})
        plan[year] = money
    total = sum(plan.values(), ZERO)
    if total != budget:
        raise TranchesInvalid(
            _("The yearly tranches add up to %(total)s; the budget is %(budget)s.")
            % {"total": format_eur(total), "budget": format_eur(budget)}
        )
    return dict(sorted(plan.items()))


def plan_text(plan):
    """A split as the audit trail writes it: {"2026": "80000.00", …}."""
    return {str(year): money_text(amount) for year, amount in sorted(plan.items())}


def current_plan(programme):
    return {row.year: row.amount for row in programme.tranches.all()}


def create_tranches(*, programme, plan):
    BudgetTranche.objects.bulk_create(
        BudgetTranche(programme=programme, year=year, amount=amount) for year, amount in plan.items()
    )


def replace_tranches(*, locked, plan):
    """Set the locked programme's split to `plan` (already checked against its budget). A tranche never
    goes below what is committed on its year; a year with commitments is never dropped."""
    existing = {row.year: row for row in BudgetTranche.objects.filter(programme=locked)}
    for year, row in existing.items():
        asked = plan.get(year, ZERO)
        if asked < row.committed:
            raise TrancheBelowCommitted(year=year, committed=row.committed, asked=asked)
    BudgetTranche.objects.filter(programme=locked).exclude(year__in=list(plan)).delete()
    for year, amount in plan.items():
        if year in existing:
            if existing[year].amount != amount:
                BudgetTranche.objects.filter(pk=existing[year].pk).update(amount=amount)
        else:
            BudgetTranche.objects.create(programme=locked, year=year, amount=amount)


def follow_budget(*, locked, change):
    """A budget changed by `change` without a new split: the change goes to the tranche of the current
    year, or else to the latest one (never below what is committed on it)."""
    rows = list(BudgetTranche.objects.filter(programme=locked).order_by("year"))
    if not rows:
        BudgetTranche.objects.create(programme=locked, year=locked.start_date.year, amount=locked.budget)
        return
    year = acceptance_year()
    row = next((row for row in rows if row.year == year), rows[-1])
    amount = row.amount + change
    if amount < row.committed:
        raise TrancheBelowCommitted(year=row.year, committed=row.committed, asked=amount)
    BudgetTranche.objects.filter(pk=row.pk).update(amount=amount)


def check_tranche(*, programme, year, amount):
    """Raise TrancheExhausted (which year lacks how much) when `amount` does not fit in the year's tranche."""
    row = BudgetTranche.objects.filter(programme=programme, year=year).values("amount", "committed").first()
    left = (row["amount"] - row["committed"]) if row else ZERO
    if amount > left:
        raise TrancheExhausted(year=year, left=left, asked=amount)


def move_committed(*, programme, year, amount):
    """Add `amount` (negative: give back) to what is committed on the year's tranche."""
    row = BudgetTranche.objects.filter(programme=programme, year=year).values("pk", "committed").first()
    if row is None:
        raise TrancheExhausted(year=year, left=ZERO, asked=amount)
    BudgetTranche.objects.filter(pk=row["pk"]).update(committed=row["committed"] + amount)
