"""Filters for dashboard figures."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.analytics.narratives import compact_figure
from safeward.analytics.narratives import figure as format_figure
from safeward.analytics.registry import Aggregation, Kind

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    return format_figure(value)


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + format_figure(value)


@register.filter
def dimension_name(indicator: Any, dimension: str | None) -> str:
    """The readable name the indicator's app gives a dimension ("by category")."""
    if not dimension:
        return ""
    return indicator.dimension_name(dimension) if indicator else dimension


@register.filter
def shown(value: float | None, indicator: Any) -> str:
    """A value as its indicator reads: ratios as percentages, everything else as a figure."""
    if value is not None and getattr(indicator, "aggregation", "") == Aggregation.RATIO:
        return format_figure(round(100.0 * value, 1)) + "%"
    return format_figure(value)


@register.filter
def shown_short(value: float | None, indicator: Any) -> str:
    """A value as :func:`shown`, shortened when large ("1,6 tỷ"): for cards, with the full value
    beside it in a title."""
    if value is not None and getattr(indicator, "aggregation", "") == Aggregation.RATIO:
        return shown(value, indicator)
    return compact_figure(value)


@register.simple_tag
def figures_as_of() -> str:
    """The rollups' freshness line every page showing figures carries."""
    from safeward.analytics.freshness import as_of_text

    return format_html('<p class="muted as-of" data-as-of>{}</p>', as_of_text())


@register.filter
def kind_label(indicator: Any) -> str:
    """ "at 31/12/2024" for a stock, "in the period" for a flow."""
    if getattr(indicator, "kind", "") == Kind.STOCK:
        return str(_("at the end of the period"))
    return str(_("in the period"))
