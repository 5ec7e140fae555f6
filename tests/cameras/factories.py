"""Builders for cameras and campaigns, going through the services like a user would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeward.cameras import services
from safeward.cameras.models import Camera, Campaign

# A point in Cẩm Thịnh, Cẩm Phả (Quảng Ninh).
CAM_THINH = (21.0125, 107.3205)


def make_camera(actor: Any, unit: Any, **overrides: Any) -> Camera:
    lat = overrides.pop("latitude", unit.centroid_lat or CAM_THINH[0])
    lon = overrides.pop("longitude", unit.centroid_lon or CAM_THINH[1])
    fields: dict[str, Any] = {
        "custodian_kind": "household",
        "custodian_label": "Hộ ông Nguyễn Văn An",
        "bearing": 90.0,
        "fov": 90.0,
        "range_m": 40,
        "retention_days": 7,
        "sharing_mode": "on_request",
        "installed_on": dt.date(2024, 5, 1),
        "last_verified": dt.date(2026, 11, 1),
    }
    fields.update(overrides)
    return services.camera_register(actor, unit=unit, latitude=lat, longitude=lon, **fields)


def make_campaign(actor: Any, unit: Any, **overrides: Any) -> Campaign:
    fields: dict[str, Any] = {
        "title": "Mắt thần khu phố",
        "goal_vnd": 20_000_000,
        "starts_on": dt.date(2024, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
    }
    fields.update(overrides)
    return services.campaign_create(actor, unit=unit, **fields)
