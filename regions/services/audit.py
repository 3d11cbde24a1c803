"""The regions app on the portal's audit trail (`portal.audit`).

Each use case that changes money or an enrolment's state writes exactly one entry, in its own
transaction, after the programme's (and enrolment's) row locks, with the programme's region so that
its officers read it:

- `programme.created`, `programme.updated` (budget, cap, dates, eligibility… changed fields only),
  `programme.budget_changed`, `programme.status_changed`, `programme.settled` (closed for good, with
  what it released) on the programme, and `enrolment.released` on each enrolment it released money of;
- `enrolment.<status>` on the enrolment for every move of `regions.workflows.ENROLMENT` (applied,
  under review, accepted, refused, in progress, completed, withdrawn), with the money it moves:
  the enrolment's committed and spent amounts and the programme's committed total, before and after;
- `expense.booked` and `expense.cancelled` on the expense, with the spent totals before and after;
- `claim.submitted`, `claim.certified`, `claim.rejected`, `claim.paid` on the payment claim, with the
  claim's amounts and the enrolment's certified and paid totals (`regions.services.claim_checks`
  verifies them).

The money ledger (`LedgerEntry`) stays the business record that reconciliation reads; the audit
entry is the proof of who changed what. `verify_state` (registered from `RegionsConfig.ready()`)
reports a programme budget, or an enrolment status or amount (committed, spent), that differs from its
last audited value.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.audit import Problem, decoded, record
from portal.money import money_text

ACTIONS = {
    "programme.created": _("programme created"),
    "programme.updated": _("programme changed"),
    "programme.budget_changed": _("budget changed"),
    "programme.status_changed": _("programme opened or closed"),
    "programme.settled": _("programme closed for good (unspent commitments released)"),
    "enrolment.applied": _("application made (or sent again after changes)"),
    "enrolment.sent_back": _("application sent back for changes"),
    "enrolment.document_added": _("document added to an application"),
    "enrolment.under_review": _("application under review"),
    "enrolment.accepted": _("application accepted (money committed)"),
    "enrolment.refused": _("application refused"),
    "enrolment.in_progress": _("support started"),
    "enrolment.completed": _("support completed"),
    "enrolment.withdrawn": _("application withdrawn"),
    "enrolment.released": _("unspent commitment released at the programme's closing"),
    "expense.booked": _("expense booked"),
    "expense.cancelled": _("expense cancelled"),
    "claim.submitted": _("payment claim submitted"),
    "claim.certified": _("payment claim certified"),
    "claim.rejected": _("payment claim rejected"),
    "claim.paid": _("payment recorded"),
}


def audited_value(value):
    """A field's value as the trail keeps it: money to the cent, dates and lists as JSON allows."""
    if isinstance(value, Decimal):
        return money_text(value)
    return value


def enrolment_state(enrolment, programme):
    """What a transition may change: the status and the money of the enrolment and its programme."""
    return {
        "status": enrolment.status,
        "committed": money_text(enrolment.committed_amount),
        "spent": money_text(enrolment.spent_total),
        "programme_committed": money_text(programme.committed_total),
        "programme_spent": money_text(programme.spent_total),
    }


def record_programme(*, programme, action, by, before, after):
    return record(action=action, subject=programme, by=by, before=before, after=after, region=programme.region_id)


def record_expense(*, expense, action, programme, enrolment, by, before, **details):
    after = {
        "enrolment": enrolment.pk,
        "amount": money_text(expense.amount),
        "enrolment_spent": money_text(enrolment.spent_total),
        "programme_spent": money_text(programme.spent_total),
        **details,
    }
    return record(action=action, subject=expense, by=by, before=before, after=after, region=programme.region_id)


def expense_totals(enrolment, programme):
    return {"enrolment_spent": money_text(enrolment.spent_total), "programme_spent": money_text(programme.spent_total)}


# An enrolment's amounts, as the trail records them: (field of the model, key in an enrolment entry's
# `after`, key in an expense entry's `after`). A claimed amount joins this table when enrolments have one.
AUDITED_AMOUNTS = {
    "committed": ("committed_amount", "committed", "enrolment_committed"),
    "spent": ("spent_total", "spent", "enrolment_spent"),
}


def verify_state():
    """Problems where a programme's budget, or an enrolment's status or amounts (committed, spent),
    differ from their last audited values."""
    from portal.models import AuditEntry
    from regions.models import Enrolment, Programme

    budgets, statuses = {}, {}
    amounts = {name: {} for name in AUDITED_AMOUNTS}
    entries = (
        AuditEntry.objects.filter(subject_app="regions", subject_model__in=["programme", "enrolment", "expense"])
        .order_by("seq")
        .values_list("subject_model", "subject_pk", "after")
    )
    for model, pk, after in entries.iterator(chunk_size=2000):
        after = decoded(after) or {}
        if model == "programme" and "budget" in after:
            budgets[pk] = after["budget"]
        elif model == "enrolment":
            if "status" in after:
                statuses[pk] = after["status"]
            _note_amounts(amounts, pk, after, entry_key=1)
        elif model == "expense" and "enrolment" in after:
            _note_amounts(amounts, str(after["enrolment"]), after, entry_key=2)
    problems = []
    for pk, budget in Programme.objects.values_list("pk", "budget"):
        if budgets.get(str(pk)) != money_text(budget):
            problems.append(
                Problem("the programme's budget differs from its last audited value", subject=f"regions.programme:{pk}")
            )
    fields = [field for field, *_keys in AUDITED_AMOUNTS.values()]
    for pk, status, *values in Enrolment.objects.values_list("pk", "status", *fields):
        subject = f"regions.enrolment:{pk}"
        if statuses.get(str(pk)) != status:
            problems.append(Problem("the enrolment's status differs from its last audited step", subject=subject))
        for name, value in zip(AUDITED_AMOUNTS, values, strict=True):
            audited = amounts[name].get(str(pk))
            if audited is not None and audited != money_text(value):
                problems.append(
                    Problem(
                        f"the enrolment's {name} amount is {money_text(value)}, its last audited value {audited}",
                        subject=subject,
                    )
                )
    return problems


def _note_amounts(amounts, enrolment_pk, after, *, entry_key):
    for name, keys in AUDITED_AMOUNTS.items():
        if keys[entry_key] in after:
            amounts[name][enrolment_pk] = after[keys[entry_key]]
