"""Public per-ward statistics of footage requests: sent, answered, declined, per month.

Read from the analytics rollups (:mod:`safeward.analytics.public`): requests
counted in the month they were sent, custodians' answers in the month they
answered. Only counts are published; no request, camera or custodian can be
identified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeward.analytics.public import public_table
from safeward.analytics.registry import Period

FIRST_DAY = dt.date(1990, 1, 1)
COLUMNS = {
    "sent": "evidence.requests_sent",
    "answered": "evidence.requests_answered",
    "declined": "evidence.requests_declined",
}


def _count(value: float | None) -> int | None:
    return None if value is None else round(value)


def ward_request_stats(ward: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per month with any request sent or answered, oldest first."""
    today = today or timezone.localdate()
    tables = {
        column: public_table(code, ward, FIRST_DAY, today, Period.MONTH)
        for column, code in COLUMNS.items()
    }
    months = sorted({month for table in tables.values() for month, _g in table if month})
    return [
        {
            "month": month.strftime("%Y-%m"),
            **{column: _count(tables[column].get((month, None), 0.0)) for column in COLUMNS},
        }
        for month in months
    ]
