"""Public per-ward statistics of bulletins: sent, messages that reached their recipient,
and answers, per month.

Read from the analytics rollups (:mod:`safeward.analytics.public`), each counted in the
month its bulletin was sent. Only counts are published, through
:func:`safeward.core.suppression.suppress_table` (1 to 4 is published as ``None``, with
the complements a total would give away), so no recipient, group or cohort can be told.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeward.analytics.public import public_months

FIRST_DAY = dt.date(2020, 1, 1)
COLUMNS = {
    "sent": "bulletins.sent",
    "reached": "bulletins.reached",
    "answers": "bulletins.answers",
}


def ward_bulletin_stats(ward: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per month with any bulletin sent, oldest first."""
    return public_months(COLUMNS, ward, FIRST_DAY, today or timezone.localdate())
