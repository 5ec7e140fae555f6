"""Dashboard pages, chart CSV downloads and periodic reports."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.analytics import registry
from safeward.analytics.choices import Mode, ReportStatus
from safeward.analytics.dashboards import (
    FIRST_YEAR,
    Dashboard,
    Selection,
    build_dashboard,
    default_indicator,
    map_features,
    mode_of,
)
from safeward.analytics.forms import PeriodicReportForm
from safeward.analytics.models import PeriodicReport
from safeward.analytics.narratives import narrative
from safeward.analytics.services import periodic_report_request
from safeward.core.csvsafe import csv_writer
from safeward.core.replica import replica_reads
from safeward.core.scoping import has_perm_at, scope_prefixes
from safeward.core.views import ScopedPageView, ServiceFormView
from safeward.geo.models import AdminUnit

PERM = "analytics.view_dashboard"


def visible_unit(request: HttpRequest, pk: int) -> AdminUnit:
    """The unit if the user may see its dashboard, else 404 (denied looks like missing)."""
    unit = AdminUnit.objects.get_visible(request.user, pk=pk)
    if not has_perm_at(request.user, PERM, unit):
        raise Http404
    return unit


def home_unit(request: HttpRequest) -> AdminUnit:
    """The highest unit the user may see dashboards for."""
    prefixes = scope_prefixes(request.user, PERM)
    units = (
        AdminUnit.objects.filter(parent__isnull=True)
        if prefixes is None
        else AdminUnit.objects.filter(path__in=prefixes)
    )
    unit = units.order_by(F("valid_to").desc(nulls_first=True), "depth", "path").first()
    if unit is None:
        raise Http404
    return unit


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(raw or default), low), high)
    except ValueError:
        return default


def selection(request: HttpRequest, unit: AdminUnit) -> Selection:
    today = timezone.localdate()
    indicator = registry.get(request.GET.get("indicator", "")) or default_indicator()
    if indicator is None:
        raise Http404
    by = request.GET.get("by") or (indicator.dimensions[0] if indicator.dimensions else None)
    if by not in indicator.dimensions:
        by = indicator.dimensions[0] if indicator.dimensions else None
    year = _int(request.GET.get("year"), today.year, FIRST_YEAR, today.year)
    return Selection(unit, indicator, year, today, mode_of(request.GET.get("mode")), by)


class DashboardView(ScopedPageView):
    """The dashboard of a unit (``pk``), or of the highest unit the user sees dashboards for."""

    permission = PERM
    template_name = "analytics/dashboard.html"
    replica_reads = True

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        pk = context.pop("pk", None)
        unit = visible_unit(request, pk) if pk else home_unit(request)
        sel = selection(request, unit)
        board = build_dashboard(sel)
        return {
            **super().get_context(request, **context),
            "board": board,
            "sel": sel,
            "unit": unit,
            "ancestors": [u for u in unit.ancestors() if has_perm_at(request.user, PERM, u)],
            "indicators": registry.all_indicators(),
            "years": list(range(sel.today.year, FIRST_YEAR - 1, -1)),
            "modes": Mode.choices,
            "mode": Mode.AS_IS if sel.as_is else Mode.AS_WAS,
            "chart_data": chart_data(board),
            "map_data": map_features(board),
            "tile_url": settings.SAFEWARD_MAP_TILE_URL,
            "narrative": narrative(unit, since_year=sel.year, today=sel.today, end=sel.end),
            "query": request.GET.urlencode(),
        }


def chart_data(board: Dashboard) -> dict[str, Any]:
    return {
        "label": str(board.selection.indicator.name),
        "year": [list(r) for r in board.trend_year],
        "month": [list(r) for r in board.trend_month],
        "breakdown": [list(r) for r in board.breakdown],
    }


CHARTS = ("year", "month", "breakdown", "children")


@replica_reads
@login_required
def chart_csv(request: HttpRequest, pk: int, chart: str) -> HttpResponse:
    """One chart of the dashboard as CSV (the same rows as its accessible table)."""
    if chart not in CHARTS:
        raise Http404
    unit = visible_unit(request, pk)
    board = build_dashboard(selection(request, unit))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{board.selection.indicator.code}-{unit.pk}-{chart}.csv"'
    )
    writer = csv_writer(response)
    for row in csv_rows(board, chart):
        writer.writerow(row)
    return response


def csv_rows(board: Dashboard, chart: str) -> list[list[Any]]:
    label = str(board.selection.indicator.name)
    if chart == "children":
        head = [_("Unit"), label, _("Same period last year"), _("Change (%)")]
        body = [[r["unit"].name, r["value"], r["previous"], r["change"]] for r in board.children]
        return [head, *body]
    rows = {"year": board.trend_year, "month": board.trend_month, "breakdown": board.breakdown}[
        chart
    ]
    first = _("Category") if chart == "breakdown" else _("Period")
    return [[first, label], *[list(r) for r in rows]]


# --- periodic reports -----------------------------------------------------------------------
class PeriodicReportsView(ServiceFormView):
    """The periodic reports the user may see, and the form that asks for another."""

    queryset = PeriodicReport.objects.select_related("unit")
    action = "view"
    form_class = PeriodicReportForm
    service = periodic_report_request
    template_name = "analytics/reports.html"
    success_url = "analytics:reports"
    error_fields: ClassVar[dict[str, str]] = {"from": "date_from", "to": "date_to"}

    def get_context(self, request: HttpRequest, **context: Any) -> dict[str, Any]:
        return {
            **super().get_context(request, **context),
            "reports": self.get_queryset(request)[:50],
            "running": ReportStatus.RUNNING,
        }

    def get_success_message(self, request: HttpRequest, result: Any) -> str:
        return ""  # the list below the form shows the new report and its progress


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = PeriodicReport.objects.get_visible(request.user, pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    name = f"safeward-{report.unit.code}-{report.date_from}-{report.date_to}.{report.fmt}"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=name)
