from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safeward.core.api import ModelSerializer, ScopedRelatedField
from safeward.core.personal import NOT_PERSONAL
from safeward.geo.models import AdminUnit, UnitSuccession


class AdminUnitSerializer(ModelSerializer):
    public_fields = dict.fromkeys(("name", "short_name"), NOT_PERSONAL)
    parent = ScopedRelatedField(AdminUnit, required=True)  # type: ignore[assignment]
    boundary = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "path",
            "depth",
            "valid_from",
            "valid_to",
            "centroid_lat",
            "centroid_lon",
            "bbox_south",
            "bbox_west",
            "bbox_north",
            "bbox_east",
            "boundary",
            "area_km2",
            "population",
            "source",
        ]
        read_only_fields = [
            "path",
            "depth",
            "bbox_south",
            "bbox_west",
            "bbox_north",
            "bbox_east",
            "source",
            "valid_to",
        ]

    def to_representation(self, instance: AdminUnit) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("view") and getattr(self.context["view"], "action", "") == "list":
            data.pop("boundary", None)
        return data


class UnitSuccessionSerializer(ModelSerializer):
    public_fields = {"note": "cites the public decision that merged or split the units"}
    predecessor = ScopedRelatedField(AdminUnit)
    successor = ScopedRelatedField(AdminUnit)

    class Meta:
        model = UnitSuccession
        fields = ["id", "predecessor", "successor", "date", "share", "note"]
