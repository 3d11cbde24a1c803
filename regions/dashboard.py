"""The officers' dashboard (per region; national for staff): reads scoped to the user, sums in SQL.

`board_figures` runs a fixed number of queries whatever the number of programmes, enrolments and
expenses: every figure is an aggregate (Count / Sum with filters, GROUP BY) computed by the database.
Budget figures follow the programme and region filters; enrolment figures follow every filter.
`build_dashboard` reads those figures from the cache (`regions.board_cache`: kept under versions the
enrolment, ledger and programme services bump), with their amounts already written out; only the page
of applications is read on every request.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import get_language

from diagnostics.models import Diagnostic
from portal.models import HeadcountBand, Region
from portal.money import cents, format_eur
from regions.board_cache import cached_board
from regions.filters import EnrolmentFilter
from regions.models import Enrolment, LedgerEntry
from regions.selectors import officer_region_ids, programmes_visible_to

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
S = Enrolment.Status
ENROLLED = [S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
FUNNEL = [S.APPLIED, S.SENT_BACK, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.REFUSED, S.WITHDRAWN]


@dataclass
class Dashboard:
    filter: EnrolmentFilter
    programmes: list
    totals: dict
    selection: dict
    funnel: list
    by_sector: list
    by_size: list
    burn: list
    maturity: dict
    enrolments: object  # the filtered queryset (the page paginates it)
    regions: list = field(default_factory=list)
    key: str = ""  # the figures' cache key, under which the page caches the fragments showing them


def dashboard_scope(user):
    """The programmes and (for staff or multi-region officers) the regions the user's dashboard covers."""
    programmes = programmes_visible_to(user)
    if user.is_staff:
        regions = Region.objects.order_by("code")
    else:
        ids = officer_region_ids(user)
        regions = Region.objects.filter(pk__in=ids).order_by("code") if len(ids) > 1 else None
    return programmes, regions


def enrolment_filter(user, data):
    """The dashboard's FilterSet over the enrolments the user may see (also used by the exports)."""
    programmes, regions = dashboard_scope(user)
    return EnrolmentFilter(
        data or None,
        queryset=Enrolment.objects.filter(programme__in=programmes.values("pk")),
        programmes=programmes.order_by("name"),
        regions=regions,
    )


def programme_rows(programmes):
    counts = {f"n_{status}": Count("enrolments", filter=Q(enrolments__status=status)) for status in FUNNEL}
    rows = list(
        programmes.annotate(
            n_enrolled=Count("enrolments", filter=Q(enrolments__status__in=ENROLLED)), **counts
        ).order_by("region__code", "-start_date", "name")
    )
    for row in rows:
        row.remaining_amount = row.budget - row.committed_total
        row.progress = min(100, round(100 * row.n_enrolled / row.target_companies)) if row.target_companies else 0
        row.budget_use = min(100, round(100 * row.committed_total / row.budget)) if row.budget else 0
        # Written out once here (a board's rows are cached per language), not by a filter per cell.
        row.budget_eur = format_eur(row.budget)
        row.committed_eur = format_eur(row.committed_total)
        row.spent_eur = format_eur(row.spent_total)
        row.remaining_eur = format_eur(row.remaining_amount)
    return rows


def _burn(programmes):
    """Cumulative budget, committed and spent at the end of each month with a ledger entry (one query)."""
    monthly = (
        LedgerEntry.objects.filter(programme__in=programmes.values("pk"))
        .annotate(month=TruncMonth("at"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    points, budget, committed, spent = {}, Decimal("0"), Decimal("0"), Decimal("0")
    for row in monthly:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        kind, total = row["kind"], cents(row["total"])
        if kind == LedgerEntry.Kind.BUDGET:
            budget += total
        elif kind in (LedgerEntry.Kind.COMMIT, LedgerEntry.Kind.RELEASE):
            committed += total
        else:
            spent += total
        points[month] = {"month": month, "budget": budget, "committed": committed, "spent": spent}
    for point in points.values():  # the figures' table: written out once (the board is cached per language)
        point.update({f"{key}_eur": format_eur(point[key]) for key in ("budget", "committed", "spent")})
    return list(points.values())


def _maturity(enrolments):
    """Average overall maturity at entry (the diagnostic attached to the application) and the gain
    measured by re-assessments submitted since, per 10,000 EUR spent (one query)."""
    later = Diagnostic.objects.filter(
        company=OuterRef("company"), is_latest=True, submitted_at__gt=OuterRef("diagnostic__submitted_at")
    ).values("overall_score")[:1]
    funded = enrolments.filter(status__in=ENROLLED, diagnostic__overall_score__isnull=False).annotate(
        latest_score=Subquery(later, output_field=DecimalField(max_digits=3, decimal_places=2))
    )
    figures = funded.aggregate(
        entry_average=Avg("diagnostic__overall_score"),
        with_entry=Count("pk"),
        reassessed=Count("pk", filter=Q(latest_score__isnull=False)),
        gain=Coalesce(Sum(F("latest_score") - F("diagnostic__overall_score"), output_field=MONEY), ZERO),
        spent=Coalesce(Sum("spent_total", filter=Q(latest_score__isnull=False)), ZERO),
    )
    spent = figures["spent"] = cents(figures["spent"])
    figures["gain"] = cents(figures["gain"])
    figures["gain_per_10k"] = (figures["gain"] * Decimal("10000") / spent).quantize(Decimal("0.01")) if spent else None
    return figures


def _regions_map(programmes):
    """Per region: committed and budget of the programmes in scope, and companies enrolled (one query)."""
    enrolled = (
        Enrolment.objects.filter(
            programme__region=OuterRef("pk"), programme__in=programmes.values("pk"), status__in=ENROLLED
        )
        .order_by()
        .values("programme__region")
        .annotate(n=Count("company", distinct=True))
        .values("n")
    )
    money = programmes.filter(region=OuterRef("pk")).order_by().values("region")
    rows = Region.objects.annotate(
        budget=Coalesce(Subquery(money.annotate(t=Sum("budget")).values("t"), output_field=MONEY), ZERO),
        committed=Coalesce(Subquery(money.annotate(t=Sum("committed_total")).values("t"), output_field=MONEY), ZERO),
        enrolled=Coalesce(Subquery(enrolled), 0),
    ).order_by("code")
    result = []
    for region in rows:
        region.budget_use = min(100, round(100 * region.committed / region.budget)) if region.budget else 0
        result.append(region)
    return result


def board_figures(enrolment_filters, programmes, *, national):
    """Every figure of a board but its page of applications (what `build_dashboard` caches), as the
    keyword arguments of `Dashboard`: `programmes` in scope and the filters applied."""
    programmes = programmes.filter(**enrolment_filters.programme_filters)
    enrolments = enrolment_filters.qs

    programme_list = programme_rows(programmes)
    # The budget totals add up the programme rows already read (no query of their own).
    totals = {
        "budget": cents(sum((row.budget for row in programme_list), Decimal("0"))),
        "committed": cents(sum((row.committed_total for row in programme_list), Decimal("0"))),
        "spent": cents(sum((row.spent_total for row in programme_list), Decimal("0"))),
        "target": sum(row.target_companies or 0 for row in programme_list),
        "count": len(programme_list),
    }
    totals["remaining"] = totals["budget"] - totals["committed"]
    totals.update({f"{name}_eur": format_eur(totals[name]) for name in ("budget", "committed", "spent", "remaining")})
    # The selection's sums, its funnel and its sizes: one aggregate over the filtered enrolments.
    selection = enrolments.aggregate(
        count=Count("pk"),
        companies=Count("company", distinct=True),
        enrolled=Count("company", distinct=True, filter=Q(status__in=ENROLLED)),
        requested=Coalesce(Sum("requested_amount"), ZERO),
        committed=Coalesce(Sum("committed_amount"), ZERO),
        spent=Coalesce(Sum("spent_total"), ZERO),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in FUNNEL},
        **{
            f"size_{index}": Count("company", distinct=True, filter=Q(company__headcount_band=band))
            for index, (band, _label) in enumerate(HeadcountBand.choices)
        },
    )
    selection.update({key: cents(selection[key]) for key in ("requested", "committed", "spent")})
    selection.update({f"{key}_eur": format_eur(selection[key]) for key in ("requested", "committed", "spent")})
    selection["progress"] = min(100, round(100 * selection["enrolled"] / totals["target"])) if totals["target"] else 0

    funnel = [
        {"status": status, "label": status.label, "count": selection.pop(f"status_{status}")} for status in FUNNEL
    ]

    by_sector = list(
        enrolments.order_by()
        .values(
            code=F("company__naf_division__section__code"),
            label_fr=F("company__naf_division__section__label_fr"),
            label_en=F("company__naf_division__section__label_en"),
        )
        .annotate(companies=Count("company", distinct=True))
        .order_by("-companies", "code")
    )
    english = get_language() == "en"
    for row in by_sector:
        row["label"] = (row["label_en"] if english else row["label_fr"]) or row["code"] or "—"
    by_size = [
        {"band": band, "label": label, "companies": selection.pop(f"size_{index}")}
        for index, (band, label) in enumerate(HeadcountBand.choices)
    ]

    return {
        "programmes": programme_list,
        "totals": totals,
        "selection": selection,
        "funnel": funnel,
        "by_sector": by_sector,
        "by_size": by_size,
        "burn": _burn(programmes),
        "maturity": _maturity(enrolments),
        "regions": _regions_map(programmes) if national else [],
    }


def build_dashboard(user, data=None, *, national=False):
    enrolment_filters = enrolment_filter(user, data)
    programmes, _regions = dashboard_scope(user)
    params = {name: enrolment_filters.data.get(name) for name in enrolment_filters.filters}
    key, figures = cached_board(
        region_ids=None if user.is_staff else officer_region_ids(user),
        params=params,
        national=national,
        compute=lambda: board_figures(enrolment_filters, programmes, national=national),
    )
    return Dashboard(
        filter=enrolment_filters,
        enrolments=enrolment_filters.qs.select_related("programme__region", "company__naf_division").order_by(
            "-applied_at", "-pk"
        ),
        key=key,
        **figures,
    )
