"""``/api/v1/indicators/``: indicator definitions and their values for a unit, as JSON or CSV."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.analytics import registry
from safeward.analytics.api.serializers import (
    IndicatorListSerializer,
    IndicatorSerializer,
    ValuesSerializer,
)
from safeward.analytics.choices import Mode
from safeward.analytics.periods import period_label, periods_between
from safeward.analytics.queries import Query, values
from safeward.analytics.registry import Aggregation, Indicator, Period
from safeward.core.csvsafe import csv_writer
from safeward.core.errors import DomainError, Missing
from safeward.core.filters import parse_iso_date
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.geo.models import AdminUnit

PERM = "analytics.view_dashboard"
MAX_DAYS = getattr(settings, "SAFEWARD_ANALYTICS_MAX_DAYS", 366 * 10)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        rows = data.get("results") if isinstance(data, dict) else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            writer.writerow(list(rows[0]))
            writer.writerows([list(r.values()) for r in rows])
        elif isinstance(data, dict):
            writer.writerows(data.items())
        return buffer.getvalue().encode()


class CanReadAggregates(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.is_authenticated and has_perm_anywhere(request.user, PERM))


def _date(raw: str | None, name: str, default: dt.date) -> dt.date:
    if not raw:
        return default
    day = parse_iso_date(raw)
    if day is None:
        raise DomainError(_("Not a date (YYYY-MM-DD)."), field=name, code="invalid_date")
    return day


def indicator_or_404(code: str) -> Indicator:
    indicator = registry.get(code)
    if indicator is None:
        raise Missing(
            _("Unknown indicator {code}.").format(code=code),
            field="indicator",
            code="unknown_indicator",
        )
    return indicator


def unit_in_scope(user: Any, raw: str | None) -> AdminUnit:
    if not raw:
        raise DomainError(_("Name a unit (unit=<id>)."), field="unit", code="required")
    unit = AdminUnit.objects.get_visible(user, pk=raw)
    if not has_perm_at(user, PERM, unit):
        raise Http404
    return unit


def check_period(indicator: Indicator, period: str | None) -> None:
    if period is None:
        return
    if period not in Period.values:
        raise DomainError(_("Unknown period {period}.").format(period=period), field="period")
    if indicator.is_stored and not indicator.supports(period):
        raise DomainError(
            _("{code} is kept by {finest} at the finest; {period} is too fine.").format(
                code=indicator.code, finest=indicator.finest_period, period=period
            ),
            field="period",
            code="period_too_fine",
        )


def check_dates(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise DomainError(_("'from' is after 'to'."), field="from", code="range")
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(
            _("The range is longer than the maximum of {days} days.").format(days=MAX_DAYS),
            field="to",
            code="range_too_long",
        )


def query_from_params(request: Request, indicator: Indicator) -> Query:
    params = request.query_params
    today = timezone.localdate()
    start = _date(params.get("from"), "from", dt.date(today.year, 1, 1))
    end = _date(params.get("to"), "to", today)
    check_dates(start, end)
    period = params.get("period") or None
    check_period(indicator, period)
    by = params.get("by") or None
    if by is not None and by not in indicator.dimensions:
        raise DomainError(
            _("{code} has no dimension {by}.").format(code=indicator.code, by=by), field="by"
        )
    unit = unit_in_scope(request.user, params.get("unit"))
    as_is = params.get("mode", Mode.AS_IS) != Mode.AS_WAS
    return Query(indicator, (unit,), start, end, period, by, as_is)


def result_rows(query: Query) -> list[dict[str, Any]]:
    found = values(query)
    unit = query.units[0]
    zero = 0.0 if query.indicator.aggregation in (Aggregation.COUNT, Aggregation.SUM) else None
    groups = sorted({k[2] for k in found}, key=str) or [None]
    starts: list[dt.date | None] = (
        list(periods_between(query.period, query.start, query.end)) if query.period else [None]
    )
    return [
        {
            "unit": unit.pk,
            "period": period_label(query.period, s) if query.period and s else None,
            "period_start": s.isoformat() if s else None,
            query.by or "group": g,
            "value": found.get((unit.pk, s, g), zero),
        }
        for s in starts
        for g in groups
    ]


VALUE_PARAMETERS = [
    OpenApiParameter("unit", int, required=True, description="an administrative unit in scope"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: 1 January)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (default: today)"),
    OpenApiParameter("period", str, enum=list(Period.values), description="split by period"),
    OpenApiParameter("by", str, description="split by one of the indicator's dimensions"),
    OpenApiParameter("mode", str, enum=list(Mode.values), description="as_is (default) or as_was"),
]


class IndicatorViewSet(viewsets.ViewSet):
    """Indicator definitions, and ``values/`` for a unit in the caller's scope."""

    replica_reads = True

    domain_rules = {
        "values": (
            "`from` is not after `to`",
            "a range spans at most 3,660 days",
        ),
    }
    permission_classes = [CanReadAggregates]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    lookup_field = "code"
    lookup_value_regex = r"[\w.\-]+"

    @extend_schema(responses=IndicatorListSerializer)
    def list(self, request: Request) -> Response:
        return Response({"results": [i.as_dict() for i in registry.all_indicators()]})

    @extend_schema(responses=IndicatorSerializer)
    def retrieve(self, request: Request, code: str) -> Response:
        return Response(indicator_or_404(code).as_dict())

    @extend_schema(parameters=VALUE_PARAMETERS, responses=ValuesSerializer)
    @action(detail=True, methods=["get"], url_path="values")
    def values(self, request: Request, code: str) -> Response:
        indicator = indicator_or_404(code)
        query = query_from_params(request, indicator)
        return Response(
            {
                "indicator": indicator.code,
                "unit": query.units[0].pk,
                "from": query.start.isoformat(),
                "to": query.end.isoformat(),
                "period": query.period,
                "by": query.by,
                "mode": Mode.AS_IS if query.as_is else Mode.AS_WAS,
                "results": result_rows(query),
            }
        )
