"""Camera and campaign list filters shared by the staff pages, the staff map and the API."""

from __future__ import annotations

from safeward.cameras.choices import CameraStatus, SharingMode
from safeward.cameras.models import Camera, Campaign
from safeward.core.filters import ChoiceFilter, ScopedFilterSet, SearchFilter, UnitFilter


class CameraFilterSet(ScopedFilterSet):
    q = SearchFilter("custodian_label", "unit__name")
    status = ChoiceFilter(CameraStatus)
    sharing_mode = ChoiceFilter(SharingMode)
    unit = UnitFilter()

    class Meta(ScopedFilterSet.Meta):
        model = Camera


class CampaignFilterSet(ScopedFilterSet):
    q = SearchFilter("title", "organiser_label")
    unit = UnitFilter()

    class Meta(ScopedFilterSet.Meta):
        model = Campaign
