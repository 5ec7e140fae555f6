"""Public per-ward statistics of footage requests: sent, answered, declined, per month."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from safeward.evidence.choices import ANSWERS, Response
from safeward.evidence.models import FootageRequest


def ward_request_stats(ward: Any) -> list[dict[str, Any]]:
    """One row per month: requests sent, camera answers received, and declines.

    Only counts are published; no request, camera or custodian can be identified.
    """
    rows = (
        FootageRequest.objects.filter(ward=ward, sent_at__isnull=False)
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(
            sent=Count("id", distinct=True),
            answered=Count("targets", filter=Q(targets__response__in=ANSWERS)),
            declined=Count("targets", filter=Q(targets__response=Response.DECLINED)),
        )
        .order_by("month")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "sent": r["sent"],
            "answered": r["answered"],
            "declined": r["declined"],
        }
        for r in rows
    ]
