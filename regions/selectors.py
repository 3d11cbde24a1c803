"""Reads of the regions app, scoped to the user: an object outside the scope is simply not found.

- Alliance staff see every programme, enrolment and expense;
- a regional officer sees those of their region(s), and the companies enrolled there;
- a company's members see the open programmes of their region and their own applications.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from diagnostics.models import Diagnostic
from diagnostics.selectors import diagnostics_visible_to, latest_submitted, shared_with_officer
from portal.models import Company, Membership, NafCode, Region
from portal.viewer import viewer_of
from regions.eligibility import Eligibility, eligibility
from regions.models import (
    Enrolment,
    EnrolmentAssignment,
    EnrolmentDocument,
    EnrolmentTransition,
    Expense,
    LedgerEntry,
    Programme,
)


def officer_region_ids(user):
    """The ids of the regions `user` is an officer of (the request's viewer: `portal.viewer`)."""
    return viewer_of(user).officer_region_ids


def regions_of_officer(user):
    """The regions whose programmes the officer runs."""
    return Region.objects.filter(officers__user=user)


def regions_managed_by(user):
    """The regions the user may create programmes in: all for staff, their own for officers."""
    if user.is_authenticated and user.is_staff:
        return Region.objects.all()
    return Region.objects.filter(pk__in=officer_region_ids(user))


def programmes_visible_to(user):
    """The programmes the user manages: every one for staff, their region's for officers, none otherwise."""
    if user is None or not user.is_authenticated:
        return Programme.objects.none()
    programmes = Programme.objects.select_related("region")
    if user.is_staff:
        return programmes
    return programmes.filter(region_id__in=officer_region_ids(user))


def programme_for_officer(user, pk):
    """One programme the user manages, with its eligible NAF codes, or None."""
    return programmes_visible_to(user).prefetch_related("eligible_naf_codes").filter(pk=pk).first()


def _member_companies(user):
    return Membership.objects.filter(user=user).values("company_id")


def enrolments_visible_to(user):
    """Staff: all; officers: those of their region's programmes; members: their companies' ones."""
    if user is None or not user.is_authenticated:
        return Enrolment.objects.none()
    if user.is_staff:
        return Enrolment.objects.all()
    visible = Q(company_id__in=_member_companies(user))
    regions = officer_region_ids(user)
    if regions:
        visible |= Q(programme__region_id__in=regions)
    return Enrolment.objects.filter(visible)


def enrolment_detail(user, pk):
    """One enrolment the user may see, with its programme, company, diagnostic and history, or None.

    `diagnostic_readable`: may `user` open the attached diagnostic (an officer no longer may once the
    application is refused)?"""
    enrolment = (
        enrolments_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "programme__region", "company__naf_division__section", "company__region", "diagnostic", "decided_by"
        )
        .annotate(
            diagnostic_readable=Exists(diagnostics_visible_to(user).filter(pk=OuterRef("diagnostic_id"))),
        )
        .first()
    )
    return enrolment


def enrolment_history(enrolment):
    return EnrolmentTransition.objects.filter(enrolment=enrolment).select_related("by").order_by("at", "pk")


def enrolment_documents(enrolment):
    return EnrolmentDocument.objects.filter(enrolment=enrolment).select_related("uploaded_by")


def visible_document(user, pk):
    """A document of an application the user may see (its company's members, the region's officers,
    staff), with its enrolment and programme, or None."""
    return (
        EnrolmentDocument.objects.filter(pk=pk, enrolment__in=enrolments_visible_to(user))
        .select_related("enrolment__programme", "enrolment__company")
        .first()
    )


def enrolment_expenses(enrolment):
    return Expense.objects.filter(enrolment=enrolment).select_related("booked_by", "cancelled_by")


def visible_expense(user, pk):
    """An expense of an enrolment the user may see, with its enrolment and programme, or None."""
    return (
        Expense.objects.filter(enrolment__in=enrolments_visible_to(user).values("pk"), pk=pk)
        .select_related("enrolment__programme")
        .first()
    )


def expert_links(enrolment):
    """The expert assignments proposed from this enrolment, with their expert (one query)."""
    return EnrolmentAssignment.objects.filter(enrolment=enrolment).select_related("assignment__expert__user")


def matching_experts(enrolment, *, include_other_regions=False):
    """The experts app's ranked proposals for the enrolled company, matched on the diagnostic attached
    to the application, the one the officer reads (its selector; a few queries). Only the experts who
    serve the programme's region, unless the officer widens the search to the other regions."""
    from experts.selectors import matching_experts_for, matching_inputs_of

    diagnostic, weak_axes, top_themes = matching_inputs_of(enrolment.diagnostic)
    return matching_experts_for(
        enrolment.company,
        weak_axes,
        top_themes,
        region=enrolment.programme.region,
        region_only=not include_other_regions,
        diagnostic=diagnostic,
    )


def programme_enrolments(programme, status=None):
    """The programme's enrolments with their company's sector and size (one query)."""
    enrolments = Enrolment.objects.filter(programme=programme).select_related(
        "company__naf_division__section", "diagnostic"
    )
    if status:
        enrolments = enrolments.filter(status=status)
    return enrolments.order_by("-applied_at", "-pk")


def programme_ledger(programme, limit=50):
    return (
        LedgerEntry.objects.filter(programme=programme)
        .select_related("by", "enrolment__company")
        .order_by("-seq")[:limit]
    )


# --- the company side ---------------------------------------------------------------------------


def companies_of(user):
    """The companies the user is a member of, with what eligibility reads."""
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).select_related("region", "naf_division__section")


@dataclass(frozen=True)
class ProgrammeOffer:
    programme: Programme
    eligibility: Eligibility
    enrolment: Enrolment | None


def programmes_for_company(company, latest_diagnostic=None):
    """The open programmes of the company's region, each with whether the company may apply (and why not)
    and its live application if any. Four queries whatever the number of programmes (three when the
    caller already holds the company's latest submitted diagnostic)."""
    programmes = list(
        Programme.objects.filter(region_id=company.region_id, status=Programme.Status.OPEN)
        .prefetch_related(Prefetch("eligible_naf_codes", queryset=NafCode.objects.only("code")))
        .order_by("end_date", "name")
    )
    latest = latest_diagnostic or latest_submitted(company)
    live = {
        enrolment.programme_id: enrolment
        for enrolment in Enrolment.objects.filter(
            company=company, programme__in=[p.pk for p in programmes], status__in=Enrolment.LIVE
        )
    }
    return [
        ProgrammeOffer(
            programme=programme,
            eligibility=eligibility(
                programme,
                company,
                latest_diagnostic=latest,
                has_live_enrolment=programme.pk in live,
                naf_codes={naf.code for naf in programme.eligible_naf_codes.all()},
            ),
            enrolment=live.get(programme.pk),
        )
        for programme in programmes
    ]


def open_programme_for_company(company, pk):
    """An open programme of the company's region, or None."""
    return (
        Programme.objects.filter(region_id=company.region_id, status=Programme.Status.OPEN, pk=pk)
        .prefetch_related("eligible_naf_codes")
        .first()
    )


def submitted_diagnostics_of(company):
    return Diagnostic.objects.filter(company=company, status=Diagnostic.Status.SUBMITTED).order_by("-submitted_at")


def applications_of(user):
    """The applications of the user's companies, latest first (one query)."""
    if user is None or not user.is_authenticated:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(company_id__in=_member_companies(user))
        .select_related("programme__region", "company")
        .order_by("-applied_at", "-pk")
    )


def eligible_open_programmes(company):
    """The open programmes the company may apply to now (for the report's next steps)."""
    return [offer.programme for offer in programmes_for_company(company) if offer.eligibility.eligible]


def audit_entries_visible_to(user):
    """The audit trail entries the user may read, newest first: every entry for staff; for an officer,
    those of their regions (programmes, enrolments, expenses, and the assignments of the companies
    there); none for anyone else. Author and region come with the rows."""
    from portal.models import AuditEntry

    if user is None or not user.is_authenticated:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("by", "region").order_by("-seq")
    if user.is_staff:
        return entries
    return entries.filter(region_id__in=officer_region_ids(user))


def diagnostics_shared_with_region(user):
    """The submitted diagnostics companies chose to share with the regions `user` is an officer of,
    newest first, each marked with whether the company has applied to one of those regions' programmes."""
    applied = Enrolment.objects.filter(
        company_id=OuterRef("company_id"), programme__region_id__in=officer_region_ids(user)
    )
    return (
        Diagnostic.objects.filter(shared_with_officer(user))
        .select_related("company__region", "company__naf_division", "referential")
        .annotate(has_applied=Exists(applied))
        .order_by("-submitted_at", "-pk")
    )
