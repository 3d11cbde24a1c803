"""Money writes: the hash-chained ledger, expenses, and the budget. Every function here runs under the
programme's row lock (`lock_programme`), taken first, before any enrolment or expense row. Each use
case also writes one entry of the portal's audit trail (`regions.services.audit`)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.money import ZERO, money_text, to_money
from regions.board_cache import bump_board_version
from regions.exceptions import (
    BudgetBelowCommitted,
    CommitmentExceeded,
    ExpenseAlreadyBooked,
    ExpenseNotAllowed,
    InvalidAmount,
    InvalidInput,
    ProgrammeSettled,
)
from regions.models import Enrolment, Expense, LedgerEntry, Programme
from regions.services.audit import expense_totals, record_expense, record_programme
from regions.services.tranches import follow_budget, move_committed


def lock_programme(programme_id):
    """The programme row, locked until the transaction ends (PostgreSQL: SELECT … FOR UPDATE; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    return Programme.objects.select_for_update().get(pk=programme_id)


def refuse_if_settled(programme):
    """A programme closed for good keeps its money as its closing statement shows it: ProgrammeSettled."""
    if programme.status == Programme.Status.SETTLED:
        raise ProgrammeSettled()


def lock_enrolment(enrolment_id):
    """The enrolment row re-read under lock: its status is the one every decision checks."""
    return Enrolment.objects.select_for_update(of=("self",)).select_related("company").get(pk=enrolment_id)


def positive_amount(value):
    amount = to_money(value)
    if amount is None or amount <= ZERO:
        raise InvalidAmount(_("Enter a positive amount in euros, with at most two decimals."))
    return amount


def append_ledger(*, programme, kind, amount, by, enrolment=None, expense=None, comment=""):
    """Append one entry with the programme's totals after the change, chained to the previous one.
    The caller holds the programme's lock and has already updated `programme`'s totals in memory."""
    last = LedgerEntry.objects.filter(programme=programme).order_by("-seq").values("seq", "hash").first()
    entry = LedgerEntry(
        programme=programme,
        seq=(last["seq"] + 1) if last else 1,
        kind=kind,
        enrolment=enrolment,
        expense=expense,
        amount=amount,
        budget_after=programme.budget,
        committed_after=programme.committed_total,
        spent_after=programme.spent_total,
        by=by,
        at=timezone.now(),
        comment=(comment or "")[:500],
        prev_hash=last["hash"] if last else "",
    )
    entry.hash = entry.compute_hash()
    entry.save()
    bump_board_version(programme.region_id)  # every money movement shows on the boards
    return entry


def add_to_totals(*, programme, committed=ZERO, spent=ZERO, enrolment=None, enrolment_committed=ZERO):
    """Move the running totals. `programme` and `enrolment` were read under their row locks, so the new
    totals are computed exactly, in Decimal, and written as values (SQLite would add F() expressions
    in floating point, and 0.1 + 0.2 drifts)."""
    programme.committed_total += committed
    programme.spent_total += spent
    Programme.objects.filter(pk=programme.pk).update(
        committed_total=programme.committed_total, spent_total=programme.spent_total
    )
    if enrolment is not None:
        enrolment.committed_amount += enrolment_committed
        enrolment.spent_total += spent
        Enrolment.objects.filter(pk=enrolment.pk).update(
            committed_amount=enrolment.committed_amount, spent_total=enrolment.spent_total
        )


def release_unspent(*, programme, enrolment, by, comment=""):
    """Give back to the programme what a closed (completed or withdrawn) enrolment did not spend
    (its expenses) nor have certified (its payment claims)."""
    unspent = enrolment.committed_amount - enrolment.spent_total - enrolment.certified_total
    if unspent <= ZERO:
        return None
    add_to_totals(programme=programme, committed=-unspent, enrolment=enrolment, enrolment_committed=-unspent)
    if enrolment.budget_year is not None:  # back to the tranche it was drawn on
        move_committed(programme=programme, year=enrolment.budget_year, amount=-unspent)
    return append_ledger(
        programme=programme, kind=LedgerEntry.Kind.RELEASE, amount=-unspent, by=by, enrolment=enrolment, comment=comment
    )


def budget_value(budget):
    new_budget = to_money(budget)
    if new_budget is None or new_budget < ZERO:
        raise InvalidAmount(_("Enter a budget in euros (zero or more, at most two decimals)."))
    return new_budget


def set_budget(*, locked, budget, by, comment="", follow_tranches=True):
    """Set the locked programme's budget (never below what is committed) with its ledger entry; no
    audit entry (the caller writes one for the whole change). True when the budget changed.
    The change goes to one yearly tranche (`tranches.follow_budget`) unless the caller sets a new
    split itself (`follow_tranches=False`)."""
    refuse_if_settled(locked)
    if budget < locked.committed_total:
        raise BudgetBelowCommitted(committed=locked.committed_total, asked=budget)
    change = budget - locked.budget
    if change == ZERO:
        return False
    Programme.objects.filter(pk=locked.pk).update(budget=budget)
    locked.budget = budget
    if follow_tranches:
        follow_budget(locked=locked, change=change)
    append_ledger(programme=locked, kind=LedgerEntry.Kind.BUDGET, amount=change, by=by, comment=comment)
    return True


@transaction.atomic
def change_budget(*, programme, budget, by, comment=""):
    """Set the programme's total budget; never below what is committed."""
    new_budget = budget_value(budget)
    locked = lock_programme(programme.pk)
    before = money_text(locked.budget)
    if set_budget(locked=locked, budget=new_budget, by=by, comment=comment):
        record_programme(
            programme=locked,
            action="programme.budget_changed",
            by=by,
            before={"budget": before},
            after={"budget": money_text(locked.budget), "comment": comment or ""},
        )
    return locked


@transaction.atomic
def book_expense(*, enrolment, kind, amount, label, incurred_on, by, source_reference=""):
    """Book a cost on an accepted or in-progress enrolment, within what was committed to it.

    A `source_reference` (e.g. "visit:42") is booked at most once: a second booking raises
    ExpenseAlreadyBooked and writes nothing.
    """
    amount = positive_amount(amount)
    if kind not in Expense.Kind.values:
        raise InvalidInput(_("Unknown kind of expense."))
    label = (label or "").strip()
    if not label:
        raise InvalidInput(_("Describe the expense."))
    if incurred_on is None:
        raise InvalidInput(_("Give the date of the expense."))
    programme = lock_programme(enrolment.programme_id)
    refuse_if_settled(programme)
    current = lock_enrolment(enrolment.pk)
    if source_reference and Expense.objects.filter(source_reference=source_reference).exists():
        raise ExpenseAlreadyBooked(_("This cost is already booked."))
    if current.status not in Enrolment.BOOKABLE:
        raise ExpenseNotAllowed(
            _("Expenses can be booked only on an accepted or in-progress enrolment; this one is %(status)s.")
            % {"status": current.get_status_display()}
        )
    left = current.committed_amount - current.spent_total - current.certified_total  # claims draw on it too
    if amount > left:
        raise CommitmentExceeded(left=left, asked=amount)
    before = expense_totals(current, programme)
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                enrolment=current,
                kind=kind,
                amount=amount,
                label=label[:200],
                incurred_on=incurred_on,
                source_reference=source_reference,
                booked_by=by,
            )
    except IntegrityError as error:  # the same source booked meanwhile (unique constraint)
        raise ExpenseAlreadyBooked(_("This cost is already booked.")) from error
    add_to_totals(programme=programme, spent=amount, enrolment=current)
    append_ledger(
        programme=programme,
        kind=LedgerEntry.Kind.EXPENSE,
        amount=amount,
        by=by,
        enrolment=current,
        expense=expense,
        comment=label,
    )
    record_expense(
        expense=expense,
        action="expense.booked",
        programme=programme,
        enrolment=current,
        by=by,
        before=before,
        kind=kind,
        label=expense.label,
        incurred_on=incurred_on,
        source=source_reference,
    )
    return expense


@transaction.atomic
def cancel_expense(*, expense, by, reason):
    """Stop counting an expense (the row stays, marked cancelled). On a closed enrolment, the amount
    is also released back to the programme, so a closed enrolment keeps exactly what it spent."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for cancelling the expense."))
    enrolment_id = Expense.objects.filter(pk=expense.pk).values_list("enrolment_id", flat=True).get()
    programme_id = Enrolment.objects.filter(pk=enrolment_id).values_list("programme_id", flat=True).get()
    programme = lock_programme(programme_id)
    refuse_if_settled(programme)
    enrolment = lock_enrolment(enrolment_id)
    current = Expense.objects.select_for_update().get(pk=expense.pk)
    if current.cancelled_at is not None:
        raise ExpenseNotAllowed(_("This expense is already cancelled."))
    before = {
        "cancelled": False,
        **expense_totals(enrolment, programme),
        "enrolment_committed": money_text(enrolment.committed_amount),
        "programme_committed": money_text(programme.committed_total),
    }
    Expense.objects.filter(pk=current.pk).update(
        cancelled_at=timezone.now(), cancelled_by=by, cancel_reason=reason[:500]
    )
    current.refresh_from_db()
    add_to_totals(programme=programme, spent=-current.amount, enrolment=enrolment)
    append_ledger(
        programme=programme,
        kind=LedgerEntry.Kind.EXPENSE_CANCELLED,
        amount=-current.amount,
        by=by,
        enrolment=enrolment,
        expense=current,
        comment=reason,
    )
    if enrolment.status in (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN):
        release_unspent(programme=programme, enrolment=enrolment, by=by, comment=reason)
    record_expense(
        expense=current,
        action="expense.cancelled",
        programme=programme,
        enrolment=enrolment,
        by=by,
        before=before,
        cancelled=True,
        reason=reason,
        enrolment_committed=money_text(enrolment.committed_amount),
        programme_committed=money_text(programme.committed_total),
    )
    return current
