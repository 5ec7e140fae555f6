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

from safeward.analytics.public import public_counts
from safeward.analytics.registry import Period
from safeward.core.suppression import suppress_table

FIRST_DAY = dt.date(2020, 1, 1)
COLUMNS = {
    "sent": "bulletins.sent",
    "reached": "bulletins.reached",
    "answers": "bulletins.answers",
}


def ward_bulletin_stats(ward: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per month with any bulletin sent, oldest first."""
    today = today or timezone.localdate()
    tables = {
        column: public_counts(code, ward, FIRST_DAY, today, Period.MONTH)
        for column, code in COLUMNS.items()
    }
    months = sorted({month for table in tables.values() for month, _g in table if month})
    grid = [[tables[column].get((month, None), 0.0) for column in COLUMNS] for month in months]
    published = suppress_table(grid)
    return [
        {"month": month.strftime("%Y-%m"), **dict(zip(COLUMNS, row, strict=True))}
        for month, row in zip(months, published.cells, strict=True)
    ]
