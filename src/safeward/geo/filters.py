"""Administrative unit list filters shared by the unit pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from safeward.core.filters import (
    ChoiceFilter,
    IsoDateFilter,
    ScopedFilterSet,
    SearchFilter,
    VisibleFilter,
)
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit

REFORM_DAY = dt.date(2025, 7, 1)


class AdminUnitFilterSet(ScopedFilterSet):
    q = SearchFilter("name", "code", "short_name")
    level = ChoiceFilter(UnitLevel)
    parent = VisibleFilter("geo.AdminUnit", help_text="parent unit id")
    valid_on = IsoDateFilter(method="filter_valid_on", label=_("Valid on"), help_text="YYYY-MM-DD")

    class Meta(ScopedFilterSet.Meta):
        model = AdminUnit

    def filter_valid_on(self, qs: Any, name: str, value: dt.date) -> Any:
        return qs.valid_on(value)


class UnitChoiceFilterSet(ScopedFilterSet):
    """One unit the user can see, chosen for a page about that unit."""

    unit = VisibleFilter("geo.AdminUnit", method="filter_unit", label=_("Unit"))

    class Meta(ScopedFilterSet.Meta):
        model = AdminUnit

    def filter_unit(self, qs: Any, name: str, value: AdminUnit) -> Any:
        return qs.filter(pk=value.pk)


class UnitPageFilterSet(AdminUnitFilterSet):
    """The unit pages also choose the era: today's units, those before the 2025 reform, or all."""

    era = django_filters.ChoiceFilter(
        choices=[
            ("current", _("Current units")),
            ("legacy", _("Before July 2025")),
            ("all", _("All periods")),
        ],
        method="filter_era",
        label=_("Period"),
    )

    def filter_era(self, qs: Any, name: str, value: str) -> Any:
        if value == "current":
            return qs.valid_on(dt.date.today())
        if value == "legacy":
            return qs.filter(valid_to__lt=REFORM_DAY)
        return qs
