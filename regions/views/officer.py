"""Officers' (and staff's) pages: programmes of their region, decisions on enrolments, expenses."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.http import allowed, found, reported
from portal.money import format_eur
from portal.rules import is_region_officer
from regions import claim_selectors, selectors, services
from regions.batch import decide_one
from regions.claim_forms import ClaimForm
from regions.cofunding import aid_asked
from regions.dashboard import programme_rows
from regions.forms import (
    AcceptForm,
    BatchDecisionForm,
    CancelExpenseForm,
    CommentForm,
    DocumentForm,
    ExpenseForm,
    ProgrammeForm,
    ProposeExpertForm,
    RefuseForm,
    ResubmitForm,
    SendBackForm,
)
from regions.models import Enrolment, Programme
from regions.rules import (
    can_create_programme,
    can_decide_enrolment,
    can_edit_application,
    can_manage_programme,
    can_submit_claim,
)
from regions.workflows import ENROLMENT, PROGRAMME

PROGRAMME_FIELDS = [
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
]


@require_GET
def my_region(request):
    """The officer's space: their region's programmes with their money figures. (Staff have the
    national view; they reach any programme from there.)"""
    allowed(is_region_officer, request.user)
    programmes = selectors.programmes_visible_to(request.user).filter(
        region_id__in=selectors.officer_region_ids(request.user)
    )
    context = {
        "regions": selectors.regions_of_officer(request.user),
        "programmes": programme_rows(programmes),
    }
    return render(request, "regions/my_region.html", context)


@require_http_methods(["GET", "POST"])
def programme_create(request):
    allowed(can_create_programme, request.user)
    form = ProgrammeForm(request.POST or None, regions=selectors.regions_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported(request, form) as outcome:
            programme = services.create_programme(
                region=data["region"],
                by=request.user,
                budget=data["budget"],
                tranches=data["tranches"],
                eligible_naf_codes=data["eligible_naf_codes"],
                **{name: data[name] for name in PROGRAMME_FIELDS},
            )
        if outcome.ok:
            messages.success(request, _("Programme “%(name)s” created as a draft.") % {"name": programme.name})
            return redirect("regions:programme_detail", pk=programme.pk)
    return render(request, "regions/programme_form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
def programme_edit(request, pk):
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_manage_programme, request.user, programme)
    form = ProgrammeForm(request.POST or None, regions=selectors.regions_managed_by(request.user), programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported(request, form) as outcome:
            services.update_programme(
                programme=programme,
                by=request.user,
                budget=data["budget"],
                tranches=data["tranches"],
                eligible_naf_codes=data["eligible_naf_codes"],
                **{name: data[name] for name in PROGRAMME_FIELDS},
            )
        if outcome.ok:
            messages.success(request, _("Programme saved."))
            return redirect("regions:programme_detail", pk=programme.pk)
    return render(request, "regions/programme_form.html", {"form": form, "programme": programme})


@require_GET
def programme_detail(request, pk):
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_manage_programme, request.user, programme)
    status = request.GET.get("statut", "")
    if status not in Enrolment.Status.values:
        status = ""
    enrolments = list(selectors.programme_enrolments(programme, status=status))
    context = {
        "programme": programme,
        "row": programme_rows(Programme.objects.filter(pk=programme.pk))[0],
        "enrolments": enrolments,
        "status": status,
        "statuses": Enrolment.Status.choices,
        "ledger": selectors.programme_ledger(programme, limit=20),
        "tranches": list(programme.tranches.all()),
        "actions": PROGRAMME.available_actions(programme, request.user),
        "can_batch": any(e.status == Enrolment.Status.UNDER_REVIEW for e in enrolments),
    }
    return render(request, "regions/programme_detail.html", context)


@require_POST
def programme_status(request, pk):
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_manage_programme, request.user, programme)
    status = request.POST.get("status", "")
    if status == Programme.Status.SETTLED:  # closing for good is confirmed on its own page
        return redirect("regions:programme_settle", pk=pk)
    if status not in Programme.Status.values:
        messages.error(request, _("Unknown programme status."))
    else:
        with reported(request) as outcome:
            programme = services.set_programme_status(programme=programme, status=status, by=request.user)
        if outcome.ok:
            messages.success(
                request, _("The programme is now %(status)s.") % {"status": programme.get_status_display()}
            )
    return redirect("regions:programme_detail", pk=pk)


# --- enrolments ---------------------------------------------------------------------------------


def enrolment_page(request, enrolment, *, status=200, **forms):
    can_decide = can_decide_enrolment.test(request.user, enrolment)
    can_edit = can_edit_application.test(request.user, enrolment)
    programme = enrolment.programme
    actions = ENROLMENT.available_actions(enrolment, request.user)
    # The company's moves (withdraw, send again) apart from the officers' decisions.
    withdrawal = next((action for action in actions if action.name == "withdraw"), None)
    resubmission = next((action for action in actions if action.name == "resubmit"), None)
    for action in actions:
        if action.form is AcceptForm:
            suggested = min(aid_asked(enrolment, programme), max(programme.remaining, 0))
            forms.setdefault("accept_form", AcceptForm(programme=programme, initial={"amount": suggested}))
        elif action.form is ResubmitForm:
            forms.setdefault("resubmit_form", ResubmitForm(enrolment=enrolment))
        elif action.form is not None:
            forms.setdefault(f"{action.name}_form", action.form())
    if can_decide and enrolment.status in Enrolment.BOOKABLE:
        forms.setdefault("expense_form", ExpenseForm())
    if can_edit and enrolment.status in Enrolment.OPEN_FILE:
        forms.setdefault("document_form", DocumentForm())
    if enrolment.status in Enrolment.BOOKABLE and can_submit_claim.test(request.user, enrolment):
        left = enrolment.committed_amount - enrolment.spent_total - enrolment.certified_total
        forms.setdefault("claim_form", ClaimForm(left=left))
    context = {
        "enrolment": enrolment,
        "programme": programme,
        "history": list(selectors.enrolment_history(enrolment)),
        "expenses": selectors.enrolment_expenses(enrolment),
        "documents": selectors.enrolment_documents(enrolment),
        "claims": claim_selectors.enrolment_claims(enrolment) if enrolment.status in Enrolment.FUNDED else [],
        "can_decide": can_decide,
        "decisions": [
            (action, forms.get(f"{action.name}_form")) for action in actions if action not in (withdrawal, resubmission)
        ],
        "withdrawal": withdrawal,
        "resubmission": resubmission,
        "cancel_form": CancelExpenseForm() if can_decide else None,
        "expert_links": selectors.expert_links(enrolment) if can_decide else [],
        "experts_url": reverse("regions:enrolment_experts", args=[enrolment.pk])
        if can_decide and enrolment.status in Enrolment.BOOKABLE
        else "",
        **forms,
    }
    return render(request, "regions/enrolment_detail.html", context, status=status)


@require_GET
def enrolment_detail(request, pk):
    """An application: the officer's decision page, or the company's follow-up page."""
    enrolment = found(selectors.enrolment_detail(request.user, pk))
    return enrolment_page(request, enrolment)


@require_POST
def enrolment_action(request, pk, action):
    """One workflow step: review, send back, accept, refuse, start, complete (officers) or withdraw,
    send again (the company)."""
    enrolment = found(selectors.enrolment_detail(request.user, pk))
    user = request.user
    allowed(ENROLMENT.move_named(action).rule, user, enrolment)
    with reported(request):
        if action == "accept":
            form = AcceptForm(request.POST, programme=enrolment.programme)
            if not form.is_valid():
                return enrolment_page(request, enrolment, status=400, accept_form=form)
            amount = form.cleaned_data["amount"]
            services.accept_enrolment(
                enrolment=enrolment,
                amount=amount,
                by=user,
                comment=form.cleaned_data["comment"],
                eligible_cost=form.cleaned_data["eligible_cost"],
            )
            messages.success(request, _("Application accepted: %(amount)s committed.") % {"amount": format_eur(amount)})
        elif action == "refuse":
            form = RefuseForm(request.POST)
            if not form.is_valid():
                return enrolment_page(request, enrolment, status=400, refuse_form=form)
            services.refuse_enrolment(enrolment=enrolment, reason=form.cleaned_data["reason"], by=user)
            messages.success(request, _("Application refused; the company is told the reason."))
        elif action == "send_back":
            form = SendBackForm(request.POST)
            if not form.is_valid():
                return enrolment_page(request, enrolment, status=400, send_back_form=form)
            services.send_back_enrolment(enrolment=enrolment, message=form.cleaned_data["message"], by=user)
            messages.success(request, _("Application sent back; the company is told what to change."))
        elif action == "resubmit":
            form = ResubmitForm(request.POST, enrolment=enrolment)
            if not form.is_valid():
                return enrolment_page(request, enrolment, status=400, resubmit_form=form)
            services.resubmit_enrolment(enrolment=enrolment, by=user, **form.cleaned_data)
            messages.success(request, _("Your application is sent again. The region will review it."))
        else:
            form = CommentForm(request.POST)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            step = {
                "review": services.start_review,
                "start": services.start_enrolment,
                "complete": services.complete_enrolment,
                "withdraw": services.withdraw_enrolment,
            }[action]
            moved = step(enrolment=enrolment, by=user, comment=comment)
            messages.success(request, _("The application is now %(status)s.") % {"status": moved.get_status_display()})
    return redirect("regions:enrolment_detail", pk=pk)


@require_POST
def expense_create(request, pk):
    enrolment = found(selectors.enrolment_detail(request.user, pk))
    allowed(can_decide_enrolment, request.user, enrolment)
    form = ExpenseForm(request.POST)
    if not form.is_valid():
        return enrolment_page(request, enrolment, status=400, expense_form=form)
    data = form.cleaned_data
    with reported(request) as outcome:
        services.book_expense(
            enrolment=enrolment,
            kind="other",
            amount=data["amount"],
            label=data["label"],
            incurred_on=data["incurred_on"],
            by=request.user,
        )
    if outcome.ok:
        messages.success(request, _("Expense of %(amount)s booked.") % {"amount": format_eur(data["amount"])})
    return redirect("regions:enrolment_detail", pk=pk)


@require_POST
def expense_cancel(request, pk):
    expense = found(selectors.visible_expense(request.user, pk))
    allowed(can_decide_enrolment, request.user, expense.enrolment)
    url = reverse("regions:enrolment_detail", args=[expense.enrolment_id])
    form = CancelExpenseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling the expense."))
        return redirect(url)
    with reported(request) as outcome:
        services.cancel_expense(expense=expense, by=request.user, reason=form.cleaned_data["reason"])
    if outcome.ok:
        messages.success(request, _("Expense cancelled."))
    return redirect(url)


@require_http_methods(["GET", "POST"])
def enrolment_experts(request, pk):
    """The experts matching the enrolled company (the experts app's ranking, with its reason), and the
    proposal of one: the assignment is linked to this enrolment, so its visits are booked on it."""
    from regions.services.experts import propose_expert

    enrolment = found(selectors.enrolment_detail(request.user, pk))
    allowed(can_decide_enrolment, request.user, enrolment)
    # A programme's own region first: the experts of other regions only when the officer widens the search.
    include_other_regions = request.GET.get("include_other_regions") == "1"
    proposals = (
        selectors.matching_experts(enrolment, include_other_regions=include_other_regions)
        if enrolment.status in Enrolment.BOOKABLE
        else []
    )
    experts = {proposal.expert.pk: proposal.expert for proposal in proposals}
    form = ProposeExpertForm(request.POST or None, experts=experts.values())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported(request, form) as outcome:
            assignment = propose_expert(
                enrolment=enrolment,
                expert=experts[data["expert"]],
                by=request.user,
                due_date=data["due_date"],
                brief=data["brief"],
            )
        if outcome.ok:
            messages.success(
                request, _("%(expert)s is proposed; they are told by e-mail.") % {"expert": assignment.expert}
            )
            return redirect("regions:enrolment_detail", pk=enrolment.pk)
    context = {
        "enrolment": enrolment,
        "proposals": proposals,
        "form": form,
        "links": selectors.expert_links(enrolment),
        "include_other_regions": include_other_regions,
    }
    return render(request, "regions/enrolment_experts.html", context, status=400 if form.errors else 200)


@require_POST
def batch_decision(request, pk):
    """Accept (each at the aid it asks for) or refuse several applications of a programme at once.
    Each one is decided by the same service, in its own transaction under its own locks; the page
    says what happened to each: accepted, refused, or skipped with the reason."""
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_manage_programme, request.user, programme)
    candidates = {enrolment.pk: enrolment for enrolment in selectors.programme_enrolments(programme)}
    form = BatchDecisionForm(request.POST, enrolment_ids=list(candidates))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("regions:programme_detail", pk=pk)
    data = form.cleaned_data
    outcomes = [
        decide_one(candidates[enrolment_id], decision=data["decision"], reason=data["reason"], by=request.user)
        for enrolment_id in data["enrolments"]
    ]
    context = {"programme": programme, "outcomes": outcomes}
    return render(request, "regions/batch_decision.html", context)
