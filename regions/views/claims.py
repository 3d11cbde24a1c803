"""Payment claims: the company's members submit one with its invoices from their enrolment's page;
the region's officers (and staff) find the claims to process, certify or reject each, and record
the payment; invoices are downloaded through a permission-checked view only."""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.http import allowed, found, reported
from portal.money import format_eur
from portal.storage import StoredFileMissing, download_response
from regions import claim_selectors, selectors, services
from regions.claim_forms import CertifyClaimForm, ClaimForm, PaymentForm, RejectClaimForm
from regions.rules import can_read_claim, can_submit_claim, can_view_claims_to_process
from regions.services.claims import left_to_certify
from regions.views.officer import enrolment_page
from regions.workflows import CLAIM

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
FORMS = {"certify": "certify_form", "reject": "reject_form", "pay": "pay_form"}


@require_POST
def claim_submit(request, pk):
    """A member of the company submits a payment claim with its invoices on the funded enrolment."""
    enrolment = found(selectors.enrolment_detail(request.user, pk))
    allowed(can_submit_claim, request.user, enrolment)
    form = ClaimForm(request.POST, request.FILES, left=left_to_certify(enrolment))
    if form.is_valid():
        data = form.cleaned_data
        with reported(request, form) as outcome:
            claim = services.submit_claim(
                enrolment=enrolment,
                amount=data["amount"],
                description=data["description"],
                invoices=data["invoices"],
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("Your payment claim is sent. The region will check it."))
            return redirect("regions:claim_detail", pk=claim.pk)
    return enrolment_page(request, enrolment, status=400, claim_form=form)


def claim_page(request, claim, *, status=200, **forms):
    """A claim, its invoices and history, and the moves the user may make on it with their forms."""
    actions = CLAIM.available_actions(claim, request.user)
    left = left_to_certify(claim.enrolment)
    for action in actions:
        if action.name == "certify":
            initial = {"amount": max(min(claim.amount_claimed, left), 0)}
            forms.setdefault("certify_form", CertifyClaimForm(claim=claim, left=left, initial=initial))
        elif action.name == "reject":
            forms.setdefault("reject_form", RejectClaimForm())
        elif action.name == "pay":
            forms.setdefault("pay_form", PaymentForm())
    context = {
        "claim": claim,
        "enrolment": claim.enrolment,
        "programme": claim.enrolment.programme,
        "left": left,
        "invoices": claim_selectors.claim_invoices(claim),
        "history": list(claim_selectors.claim_history(claim)),
        "decisions": [(action, forms.get(FORMS[action.name])) for action in actions],
    }
    return render(request, "regions/claim_detail.html", context, status=status)


@require_GET
def claim_detail(request, pk):
    claim = found(claim_selectors.visible_claim(request.user, pk))
    allowed(can_read_claim, request.user, claim)
    return claim_page(request, claim)


@require_POST
def claim_action(request, pk, action):
    """Certify (an amount), reject (a reason) or record the payment (date, reference) of a claim."""
    claim = found(claim_selectors.visible_claim(request.user, pk))
    allowed(CLAIM.move_named(action).rule, request.user, claim)
    user = request.user
    if action == "certify":
        form = CertifyClaimForm(request.POST, claim=claim, left=left_to_certify(claim.enrolment))
    elif action == "reject":
        form = RejectClaimForm(request.POST)
    else:
        form = PaymentForm(request.POST)
    if not form.is_valid():
        return claim_page(request, claim, status=400, **{FORMS[action]: form})
    data = form.cleaned_data
    with reported(request, form) as outcome:
        if action == "certify":
            services.certify_claim(claim=claim, amount=data["amount"], by=user, comment=data["comment"])
            message = _("Claim certified: %(amount)s.") % {"amount": format_eur(data["amount"])}
        elif action == "reject":
            services.reject_claim(claim=claim, reason=data["reason"], by=user)
            message = _("Claim rejected; the company is told the reason.")
        else:
            services.record_payment(claim=claim, paid_on=data["paid_on"], reference=data["reference"], by=user)
            message = _("Payment recorded; the company is told.")
    if not outcome.ok:
        if not any(move.name == action for move in CLAIM.available_moves(claim, user)):
            messages.error(request, outcome.error.message)  # decided meanwhile: the page has no form to show it on
        return claim_page(request, claim, status=outcome.status, **{FORMS[action]: form})
    messages.success(request, message)
    return redirect("regions:claim_detail", pk=pk)


@require_GET
def claims_to_process(request):
    """The claims of the officer's regions (every region's for staff) waiting for a decision or a payment."""
    allowed(can_view_claims_to_process, request.user)
    page = Paginator(claim_selectors.claims_to_process(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regions/claims_to_process.html", {"page": page})


@require_GET
def invoice_download(request, pk):
    invoice = found(claim_selectors.visible_invoice(request.user, pk))
    allowed(can_read_claim, request.user, invoice.claim)
    try:
        return download_response(
            invoice.file.storage, invoice.file.name, filename=invoice.original_name, content_type=invoice.content_type
        )
    except StoredFileMissing:
        logger.error("invoice %s: its file %s is missing from the storage", invoice.pk, invoice.file.name)
        return render(request, "regions/invoice_missing.html", {"invoice": invoice}, status=404)
