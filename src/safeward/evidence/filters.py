"""Footage request list filters shared by the staff list and the API."""

from __future__ import annotations

from safeward.core.filters import ChoiceFilter, ScopedFilterSet, UnitFilter
from safeward.evidence.choices import RequestStatus
from safeward.evidence.models import FootageRequest


class FootageRequestFilterSet(ScopedFilterSet):
    status = ChoiceFilter(RequestStatus)
    unit = UnitFilter()

    class Meta(ScopedFilterSet.Meta):
        model = FootageRequest
