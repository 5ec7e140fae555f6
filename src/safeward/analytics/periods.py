"""Calendar periods: the start of the day, month, quarter or year a day falls in."""

from __future__ import annotations

import datetime as dt

from safeward.analytics.registry import Period


def period_start(kind: str, day: dt.date) -> dt.date:
    if kind == Period.DAY:
        return day
    if kind == Period.MONTH:
        return day.replace(day=1)
    if kind == Period.QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def next_period(kind: str, start: dt.date) -> dt.date:
    if kind == Period.DAY:
        return start + dt.timedelta(days=1)
    if kind == Period.YEAR:
        return dt.date(start.year + 1, 1, 1)
    months = 1 if kind == Period.MONTH else 3
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def periods_between(kind: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Starts of every period of ``kind`` overlapping ``[start, end]``."""
    result = []
    current = period_start(kind, start)
    while current <= end:
        result.append(current)
        current = next_period(kind, current)
    return result


def same_day_last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_label(kind: str, start: dt.date) -> str:
    if kind == Period.YEAR:
        return str(start.year)
    if kind == Period.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == Period.MONTH:
        return start.strftime("%Y-%m")
    return start.isoformat()
