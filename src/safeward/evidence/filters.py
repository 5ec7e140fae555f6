"""Footage request list filters shared by the staff list and the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from safeward.core.filters import ChoiceFilter, FlagFilter, ScopedFilterSet, UnitFilter
from safeward.evidence.choices import RequestStatus
from safeward.evidence.models import FootageRequest


class FootageRequestFilterSet(ScopedFilterSet):
    status = ChoiceFilter(RequestStatus)
    unit = UnitFilter()
    awaiting_me = FlagFilter(
        method="filter_awaiting_me",
        label=_("Awaiting my approval"),
        help_text="pending requests the user may still approve or reject",
    )
    undelivered = FlagFilter(
        method="filter_undelivered",
        label=_("No footage received yet"),
        help_text="requests sent to custodians with no clip received",
    )

    class Meta(ScopedFilterSet.Meta):
        model = FootageRequest

    def filter_awaiting_me(self, qs: Any, name: str, value: bool) -> Any:
        return qs.awaiting_approval_by(self.request.user) if value else qs

    def filter_undelivered(self, qs: Any, name: str, value: bool) -> Any:
        return qs.undelivered() if value else qs
