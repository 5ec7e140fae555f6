"""Filters for dashboard figures."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from safeward.analytics.narratives import figure as format_figure
from safeward.analytics.registry import Aggregation

register = template.Library()

DIMENSIONS = {
    "category": _("Category"),
    "status": _("Status"),
    "outcome": _("Outcome"),
    "track": _("Legal track"),
    "channel": _("Channel"),
    "form": _("Form"),
    "topic": _("Topic"),
}


@register.filter
def figure(value: float | None) -> str:
    return format_figure(value)


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + format_figure(value)


@register.filter
def dimension_label(name: str | None) -> str:
    return str(DIMENSIONS.get(name or "", name or ""))


@register.filter
def shown(value: float | None, indicator: Any) -> str:
    """A value as its indicator reads: ratios as percentages, everything else as a figure."""
    if value is not None and getattr(indicator, "aggregation", "") == Aggregation.RATIO:
        return format_figure(round(100.0 * value, 1)) + "%"
    return format_figure(value)
