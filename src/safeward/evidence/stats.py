"""Public per-ward statistics of footage requests: sent, answered, declined, per month.

Read from the analytics rollups (:mod:`safeward.analytics.public`): requests
counted in the month they were sent, custodians' answers in the month they
answered. Only counts are published, through
:func:`safeward.core.suppression.suppress_table` (1 to 4 is published as
``None``), so no request, camera or custodian can be identified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeward.analytics.public import public_months

FIRST_DAY = dt.date(1990, 1, 1)
COLUMNS = {
    "sent": "evidence.requests_sent",
    "answered": "evidence.requests_answered",
    "declined": "evidence.requests_declined",
}


def ward_request_stats(ward: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per month with any request sent or answered, oldest first (no totals shown)."""
    return public_months(COLUMNS, ward, FIRST_DAY, today or timezone.localdate())
