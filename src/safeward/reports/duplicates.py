"""Possible duplicates: same category, near in space and time, open or recently closed."""

from __future__ import annotations

import datetime as dt
import math
import os

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from safeward.geo.geometry import haversine_m
from safeward.reports.choices import OPEN_STATUSES
from safeward.reports.models import Report, ReportQuerySet


def _setting(name: str, default: float) -> float:
    raw = os.environ.get(f"SAFEWARD_{name}") or str(getattr(settings, f"SAFEWARD_{name}", default))
    return float(raw)


def duplicate_window() -> tuple[float, dt.timedelta, dt.timedelta]:
    """(radius in metres, time window, how long a closed report still counts)."""
    return (
        _setting("REPORTS_DUPLICATE_METRES", 300),
        dt.timedelta(hours=_setting("REPORTS_DUPLICATE_HOURS", 72)),
        dt.timedelta(days=_setting("REPORTS_DUPLICATE_CLOSED_DAYS", 7)),
    )


def possible_duplicates(report: Report) -> ReportQuerySet:
    """Other reports that may describe the same incident (unscoped; callers restrict)."""
    radius, window, closed_for = duplicate_window()
    now = timezone.now()
    qs = Report.objects.filter(
        category_id=report.category_id,
        occurred_at__range=(report.occurred_at - window, report.occurred_at + window),
        duplicate_of__isnull=True,
    ).exclude(pk=report.pk)
    qs = qs.filter(Q(status__in=OPEN_STATUSES) | Q(updated_at__gte=now - closed_for))
    if report.latitude is None or report.longitude is None:
        return qs.filter(unit_id=report.unit_id)
    dlat = radius / 111_320.0
    dlon = radius / (111_320.0 * max(0.1, math.cos(math.radians(report.latitude))))
    near = qs.filter(
        latitude__range=(report.latitude - dlat, report.latitude + dlat),
        longitude__range=(report.longitude - dlon, report.longitude + dlon),
    )
    ids = [
        r.pk
        for r in near.only("pk", "latitude", "longitude")
        if haversine_m(report.latitude, report.longitude, r.latitude or 0.0, r.longitude or 0.0)
        <= radius
    ]
    return Report.objects.filter(pk__in=ids).select_related("category")
