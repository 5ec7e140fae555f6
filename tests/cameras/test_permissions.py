from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeward.accounts.models import User
from safeward.cameras.models import Camera, Campaign
from safeward.core.testing import PermissionSuite
from safeward.geo.models import AdminUnit
from tests.cameras.factories import make_camera, make_campaign


def _admin() -> User:
    return User.objects.get(username="province_admin")


def _day_in(unit: AdminUnit) -> dt.date:
    return min(unit.valid_to or timezone.localdate(), timezone.localdate())


class TestCameraPermissions(PermissionSuite):
    model = Camera
    basename = "camera"

    def make_object(self, unit: AdminUnit) -> Camera:
        return make_camera(_admin(), unit, installed_on=_day_in(unit))

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "custodian_kind": "business",
            "custodian_label": "Cửa hàng Minh Hà",
            "latitude": unit.centroid_lat or 21.01,
            "longitude": unit.centroid_lon or 107.32,
            "bearing": 180,
            "fov": 100,
            "range_m": 30,
        }

    def update_payload(self, obj: Camera) -> dict[str, Any]:
        return {"custodian_label": obj.custodian_label + " (sửa)"}


class TestCampaignPermissions(PermissionSuite):
    model = Campaign
    basename = "campaign"
    supports = ("list", "detail", "create", "update")

    def make_object(self, unit: AdminUnit) -> Campaign:
        return make_campaign(_admin(), unit, starts_on=_day_in(unit), ends_on=None)

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Camera an ninh",
            "goal_vnd": 50_000_000,
            "starts_on": timezone.localdate().isoformat(),
        }

    def update_payload(self, obj: Campaign) -> dict[str, Any]:
        return {"goal_vnd": obj.goal_vnd + 5_000_000, "organiser_label": "Tổ tự quản"}
