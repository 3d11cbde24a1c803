"""Programmes: create, edit, open and close (`regions.workflows.PROGRAMME`). The budget itself moves only through `change_budget` (or
`set_budget` inside an edit). Each use case writes one entry of the portal's audit trail."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import HeadcountBand
from portal.money import ZERO, money_text, to_money
from regions.board_cache import bump_board_version
from regions.exceptions import InvalidAmount, InvalidInput
from regions.models import LedgerEntry, Programme
from regions.services import tranches as yearly
from regions.services.audit import audited_value, record_programme
from regions.services.ledger import append_ledger, budget_value, lock_programme, refuse_if_settled, set_budget
from regions.services.statements import request_statement
from regions.workflows import PROGRAMME

EDITABLE_FIELDS = {
    "name",
    "description",
    "start_date",
    "end_date",
    "cap_per_company",
    "funding_rate",
    "target_companies",
    "eligible_headcount_bands",
    "requires_submitted_diagnostic",
    "max_overall_level",
}


def _clean(fields):
    """Validate the programme's fields all at once; raise InvalidInput / InvalidAmount before any write."""
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise InvalidInput(_("Give the programme a name."))
    if "cap_per_company" in fields:
        cap = to_money(fields["cap_per_company"])
        if cap is None or cap <= ZERO:
            raise InvalidAmount(_("Enter a positive maximum aid per company, in euros."))
        fields["cap_per_company"] = cap
    if "funding_rate" in fields:
        rate = to_money(fields["funding_rate"])
        if rate is None or not (ZERO < rate <= 100):
            raise InvalidInput(_("The funding rate is a percentage above 0 and at most 100."))
        fields["funding_rate"] = rate
    if "target_companies" in fields and (fields["target_companies"] is None or int(fields["target_companies"]) < 0):
        raise InvalidInput(_("Enter a target number of companies (zero or more)."))
    if "eligible_headcount_bands" in fields:
        bands = list(dict.fromkeys(fields["eligible_headcount_bands"] or []))
        if any(band not in HeadcountBand.values for band in bands):
            raise InvalidInput(_("Unknown headcount band."))
        fields["eligible_headcount_bands"] = bands
    if fields.get("max_overall_level") is not None:
        level = to_money(fields["max_overall_level"])
        if level is None or not (ZERO <= level <= 5):
            raise InvalidInput(_("The maximum overall level is between 0 and 5."))
        fields["max_overall_level"] = level
    return fields


def _check_period(start_date, end_date):
    if start_date is None or end_date is None:
        raise InvalidInput(_("Give the programme's start and end dates."))
    if end_date < start_date:
        raise InvalidInput(_("The programme cannot end before it starts."))


@transaction.atomic
def create_programme(*, region, by, budget, eligible_naf_codes=(), tranches=None, **fields):
    """A new programme (a draft unless `status` is given) with its budget as the ledger's first entry,
    split by year as `tranches` says ({year: amount}; none: the whole budget on the start year)."""
    unknown = set(fields) - EDITABLE_FIELDS - {"status"}
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")
    fields = _clean(dict(fields))
    _check_period(fields.get("start_date"), fields.get("end_date"))
    amount = to_money(budget)
    if amount is None or amount < ZERO:
        raise InvalidAmount(_("Enter a budget in euros (zero or more, at most two decimals)."))
    plan = yearly.tranche_plan(tranches, budget=amount, start_date=fields["start_date"], end_date=fields["end_date"])
    status = fields.pop("status", Programme.Status.DRAFT)
    if status not in Programme.Status.values:
        raise InvalidInput(_("Unknown programme status."))
    programme = Programme.objects.create(region=region, budget=amount, status=status, created_by=by, **fields)
    yearly.create_tranches(programme=programme, plan=plan)
    programme.eligible_naf_codes.set(eligible_naf_codes)
    PROGRAMME.start(programme, by=by, audited=False)  # the creation's own entry below says more
    append_ledger(programme=programme, kind=LedgerEntry.Kind.BUDGET, amount=amount, by=by, comment=_("Initial budget"))
    record_programme(
        programme=programme,
        action="programme.created",
        by=by,
        before=None,
        after={
            "name": programme.name,
            "status": programme.status,
            "budget": money_text(programme.budget),
            "cap_per_company": money_text(programme.cap_per_company),
            "funding_rate": audited_value(programme.funding_rate),
            "tranches": yearly.plan_text(plan),
        },
    )
    return programme


@transaction.atomic
def update_programme(
    *, programme, by, budget=None, eligible_naf_codes=None, budget_comment="", tranches=None, **fields
):
    """Edit a programme's description, period, cap, target and eligibility; a new `budget` goes
    through `set_budget` (never below what is committed). A new split by year (`tranches`, {year:
    amount}) must add up to the budget, keep within the period and leave each year's commitments
    covered. All checks pass before anything is written. One audit entry lists the fields that
    changed, before and after (none when nothing changed)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")
    fields = _clean(dict(fields))
    new_budget = budget_value(budget) if budget is not None else None
    locked = lock_programme(programme.pk)
    refuse_if_settled(locked)
    _check_period(fields.get("start_date", locked.start_date), fields.get("end_date", locked.end_date))
    before = {name: audited_value(getattr(locked, name)) for name in fields}
    before["budget"] = money_text(locked.budget)
    before["tranches"] = yearly.plan_text(yearly.current_plan(locked))
    if eligible_naf_codes is not None:
        before["eligible_naf_codes"] = sorted(locked.eligible_naf_codes.values_list("code", flat=True))
    plan = None
    if tranches:
        plan = yearly.tranche_plan(
            tranches,
            budget=locked.budget if new_budget is None else new_budget,
            start_date=fields.get("start_date", locked.start_date),
            end_date=fields.get("end_date", locked.end_date),
        )
    elif "start_date" in fields or "end_date" in fields:  # the split kept: its years stay within the new period
        yearly.tranche_plan(
            yearly.current_plan(locked),
            budget=locked.budget,
            start_date=fields.get("start_date", locked.start_date),
            end_date=fields.get("end_date", locked.end_date),
        )
    if new_budget is not None:
        set_budget(locked=locked, budget=new_budget, by=by, comment=budget_comment, follow_tranches=plan is None)
    if plan is not None:
        yearly.replace_tranches(locked=locked, plan=plan)
    for name, value in fields.items():
        setattr(locked, name, value)
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    after = {name: audited_value(getattr(locked, name)) for name in fields}
    after["budget"] = money_text(locked.budget)
    after["tranches"] = yearly.plan_text(yearly.current_plan(locked))
    if eligible_naf_codes is not None:
        locked.eligible_naf_codes.set(eligible_naf_codes)
        after["eligible_naf_codes"] = sorted(getattr(code, "code", code) for code in eligible_naf_codes)
    changed = sorted(name for name in after if after[name] != before[name])
    if changed:
        record_programme(
            programme=locked,
            action="programme.updated",
            by=by,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed}
            | ({"comment": budget_comment} if "budget" in changed else {}),
        )
        bump_board_version(locked.region_id)
    return locked


@transaction.atomic
def set_programme_status(*, programme, status, by):
    """draft → open → closed (→ open again): a move of `regions.workflows.PROGRAMME`. Applications are
    taken only while open; decisions on applications already made remain possible after closing.
    Closing for good goes through `settle_programme`."""
    if status == Programme.Status.SETTLED:
        return settle_programme(programme=programme, by=by)
    locked = lock_programme(programme.pk)
    PROGRAMME.move(locked, status, by=by)
    bump_board_version(locked.region_id)
    return locked


@transaction.atomic
def settle_programme(*, programme, by, comment=""):
    """open or closed → settled (closed for good): refused (ApplicationsPending) while applications wait
    for a decision; every unspent commitment goes back to the programme (a ledger movement each, audited);
    the programme is frozen (ProgrammeSettled on any later move of its money or status) and its closing
    statement is drawn by the report workers once the transaction commits."""
    locked = lock_programme(programme.pk)
    PROGRAMME.move(locked, Programme.Status.SETTLED, by=by, comment=comment)
    request_statement(programme=locked, by=by)
    return locked
