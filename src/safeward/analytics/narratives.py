"""Short texts in the style of the mission's sentences, generated from indicator values.

Every number in a sentence is a link to the indicator's values in the API, so
a reader can see where it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import ordinal
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from safeward.analytics import registry
from safeward.analytics.periods import same_day_last_year
from safeward.analytics.queries import Query, values
from safeward.analytics.registry import Aggregation, Indicator, Period
from safeward.geo.models import AdminUnit

FIRST_YEAR = 2019
STREAK_MIN = 2


@dataclass(frozen=True)
class Sentence:
    html: SafeString
    indicators: tuple[str, ...]


def figure(value: float | None) -> str:
    """A number grouped the way the current language writes it (13.260 in Vietnamese)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".removesuffix("0") if abs(value) < 10 else f"{value:,.1f}"
    return _separated(text)


def _separated(text: str) -> str:
    """``1,234.5`` written with the current language's separators."""
    thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


COMPACT_FROM = 1_000_000


def compact_figure(value: float | None) -> str:
    """A large figure shortened to fit a card: "1,6 tỷ", "1.6 billion", "25,3 triệu".

    Below a million the figure is written in full (as :func:`figure`). The
    separators are the current language's, as in every other figure on the page.
    """
    if value is None or abs(value) < COMPACT_FROM:
        return figure(value)
    billions = abs(value) >= 999_950_000
    size, words = (1e9, _("%(figure)s billion")) if billions else (1e6, _("%(figure)s million"))
    short = f"{value / size:,.1f}".removesuffix(".0")
    return words % {"figure": _separated(short)}


def linked(
    indicator: Indicator, unit: AdminUnit, start: dt.date, end: dt.date, value: float | None
) -> SafeString:
    """A number linked to the API values it was read from."""
    query = urlencode({"unit": unit.pk, "from": start.isoformat(), "to": end.isoformat()})
    url = reverse("indicator-values", kwargs={"code": indicator.code}) + "?" + query
    return format_html(
        '<a href="{}" class="figure" data-indicator="{}" title="{}">{}</a>',
        url,
        indicator.code,
        str(indicator.name),
        figure(value),
    )


def _total(indicator: Indicator, unit: AdminUnit, start: dt.date, end: dt.date) -> float | None:
    return values(Query(indicator, (unit,), start, end)).get((unit.pk, None, None))


def period_words(start: dt.date, end: dt.date, today: dt.date) -> str:
    """How a sentence names its period: still running ("since the start of 2024"), a whole
    closed year ("in 2024"), or closed dates ("from 01/01/2024 to 31/03/2024")."""
    if end >= today:
        return _("Since the start of {year}").format(year=start.year)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return _("In {year}").format(year=start.year)
    return _("From {start} to {end}").format(
        start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y")
    )


def since_sentence(
    indicator: Indicator,
    unit: AdminUnit,
    since: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> Sentence | None:
    """ "Since the start of 2024, 57 propaganda sessions were held for 13,260 people" (or "In
    2024, …" once the period has closed)."""
    value = _total(indicator, unit, since, end)
    if not value:
        return None
    when = period_words(since, end, today or end)
    number = linked(indicator, unit, since, end, value)
    companion = registry.get(indicator.narrative_with) if indicator.narrative_with else None
    if indicator.narrative and companion is not None:
        other = linked(companion, unit, since, end, _total(companion, unit, since, end))
        text = format_html(
            str(indicator.narrative), when=when, value=number, other=other, unit=unit.name
        )
        return Sentence(text, (indicator.code, companion.code))
    text = format_html(
        _("{when}, {unit}: {value} {measure} ({name})."),
        when=when,
        unit=unit.name,
        value=number,
        measure=str(indicator.unit_of_measure),
        name=str(indicator.name),
    )
    return Sentence(text, (indicator.code,))


def last_complete_year(end: dt.date, today: dt.date) -> int:
    """The latest year wholly inside the period and over: the period's own year once it has
    closed on 31 December, else the one before."""
    if end < today and (end.month, end.day) == (12, 31):
        return end.year
    return end.year - 1


def localized_ordinal(n: int) -> str:
    """ "3rd" in English; the bare number where the sentence itself carries the ordinal word."""
    return str(ordinal(n)) if (translation.get_language() or "").startswith("en") else str(n)


def yearly(indicator: Indicator, unit: AdminUnit, last_year: int) -> list[tuple[int, float | None]]:
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(last_year, 12, 31)
    found = values(Query(indicator, (unit,), start, end, period=Period.YEAR))
    return [
        (y, found.get((unit.pk, dt.date(y, 1, 1), None))) for y in range(FIRST_YEAR, last_year + 1)
    ]


def falling_streak(series: list[tuple[int, float | None]]) -> int:
    """How many years in a row, ending with the last, the value fell."""
    streak = 0
    for (_y0, before), (_y1, after) in zip(series[-2::-1], series[:0:-1], strict=False):
        if before is None or after is None or after >= before:
            break
        streak += 1
    return streak


def streak_sentence(
    indicator: Indicator, unit: AdminUnit, end: dt.date, today: dt.date | None = None
) -> Sentence | None:
    """ "Violations confirmed in Cẩm Thịnh fell for the 5th year in a row" (complete years only)."""
    series = yearly(indicator, unit, last_complete_year(end, today or end))
    streak = falling_streak(series)
    if streak < STREAK_MIN:
        return None
    last_year, last_value = series[-1]
    start, end = dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)
    text = format_html(
        _("{name} in {unit} fell for the {nth} year in a row, to {value} in {year}."),
        name=str(indicator.name),
        unit=unit.name,
        nth=localized_ordinal(streak),
        value=linked(indicator, unit, start, end, last_value),
        year=last_year,
    )
    return Sentence(text, (indicator.code,))


def narrative(
    unit: AdminUnit,
    *,
    since_year: int,
    today: dt.date,
    end: dt.date | None = None,
    language: str | None = None,
) -> list[Sentence]:
    """The summary for ``unit`` over 1 January ``since_year`` to ``end`` (``today`` when not
    given): a sentence per headline indicator and any falling streaks. A period that ended
    before ``today`` is worded as closed."""
    end = end or today
    with translation.override(language or translation.get_language()):
        since = dt.date(since_year, 1, 1)
        sentences = []
        for indicator in _narrated():
            sentences.append(since_sentence(indicator, unit, since, end, today))
            if indicator.aggregation in (Aggregation.COUNT, Aggregation.RATE_PER_1000):
                sentences.append(streak_sentence(indicator, unit, end, today))
        return [s for s in sentences if s is not None]


def _narrated() -> list[Indicator]:
    return [i for i in registry.all_indicators() if i.narrate]


__all__ = ["Sentence", "falling_streak", "narrative", "same_day_last_year"]
