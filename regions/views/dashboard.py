"""The dashboards (a region's for its officers, the national one for staff) and their exports."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnostics.benchmark import MIN_COMPANIES
from portal.http import allowed
from portal.spreadsheets import csv_layout
from regions import selectors
from regions.board_cache import BOARD_CACHE_SECONDS, cached_scope_figures
from regions.calibration import cached_national_calibration
from regions.charts import MAP_HEIGHT, MAP_WIDTH, burn_chart, region_tiles
from regions.dashboard import build_dashboard, enrolment_filter
from regions.dashboard_charts import calibration_chart, company_funnel, maturity_by_quarter
from regions.dma import export_csv
from regions.exports import FORMATS, export_response
from regions.rules import can_view_dashboard

PAGE_SIZE = 50


def _render_dashboard(request, *, national):
    board = build_dashboard(request.user, request.GET, national=national)
    paginator = Paginator(board.enrolments, PAGE_SIZE)
    paginator.count = board.selection["count"]  # already counted by the dashboard's aggregate
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    calibration = cached_national_calibration() if national else []
    context = {
        "board": board,
        "page": page,
        "query": query.urlencode(),
        "burn": burn_chart(board.burn),
        "national": national,
        "tiles": region_tiles(board.regions) if national else [],
        "calibration": calibration,
        "calibration_chart": calibration_chart(calibration),
        # Over every company in scope (read from the regions' counters): drawn only when the board's fragment
        # is missing, from figures kept per scope (the applications' moves refresh them; sign-ups and submits
        # within the board's lifetime).
        "funnel_chart": SimpleLazyObject(
            lambda: cached_scope_figures(
                request.user,
                national=national,
                name="funnel",
                compute=lambda: company_funnel(request.user, national=national),
            )
        ),
        "maturity_chart": SimpleLazyObject(
            lambda: cached_scope_figures(
                request.user,
                national=national,
                name="maturity",
                compute=lambda: maturity_by_quarter(request.user, national=national),
            )
        ),
        "min_companies": MIN_COMPANIES,
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
        "board_seconds": BOARD_CACHE_SECONDS,
    }
    return render(request, "regions/dashboard.html", context)


@require_GET
def dashboard(request):
    """Budgets, enrolments, sectors, sizes, burn chart and maturity gained, for the officer's region
    (every region for staff); filters by programme, status, sector, size and period."""
    allowed(can_view_dashboard, request.user)
    return _render_dashboard(request, national=request.user.is_staff)


@require_GET
def national(request):
    from regions.rules import is_alliance_staff

    allowed(is_alliance_staff, request.user)
    return _render_dashboard(request, national=True)


@require_GET
def export(request, kind, fmt):
    """The filtered enrolments (or their expenses, or their payment claims) as CSV or XLSX: the same rows as the page."""
    allowed(can_view_dashboard, request.user)
    kinds = {"candidatures": "enrolments", "depenses": "expenses", "paiements": "payments"}
    if fmt not in FORMATS or kind not in kinds:
        raise Http404
    layout = csv_layout(get_language(), request.GET.get("format", ""))
    if layout is None:
        return HttpResponseBadRequest(_("Unknown export format: use csv-standard or csv-local."))
    enrolments = enrolment_filter(request.user, request.GET).qs
    return export_response(kind=kinds[kind], fmt=fmt, enrolments=enrolments, layout=layout)


@require_GET
def dma_export(request, region):
    """A region's enrolments at T0, T1 and T2 in the EU DMA tool's CSV layout, for its digital innovation
    hub: the officers of the region and staff; another region's: 404."""
    allowed(can_view_dashboard, request.user)
    region = selectors.regions_managed_by(request.user).filter(code=region).first()
    if region is None:
        raise Http404
    enrolments = selectors.enrolments_visible_to(request.user).filter(programme__region=region)
    response = HttpResponse(export_csv(enrolments), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dma-{region.code}.csv"'
    return response
