from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.core.api import ScopedViewSet
from safeward.core.services import signed_in
from safeward.core.viewkit import parse_day
from safeward.geo import services
from safeward.geo.api.serializers import AdminUnitSerializer, UnitSuccessionSerializer
from safeward.geo.choices import UnitLevel
from safeward.geo.filters import AdminUnitFilterSet
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.queries import successors_on, units_composing


class WeightedUnitSerializer(drf_serializers.Serializer[Any]):
    public_fields = {"name": "a unit's name, not a person's"}
    id = drf_serializers.IntegerField()
    code = drf_serializers.CharField()
    name = drf_serializers.CharField()
    share = drf_serializers.FloatField()


class AdminUnitViewSet(ScopedViewSet):
    """Administrative units in the caller's scope; neighbourhoods can be added below wards."""

    domain_rules = {
        "write": (
            "a unit sits below a unit of a higher level that still exists",
            "a unit's code is unique",
            "latitude and longitude are given together",
            "a unit does not end before it starts",
        ),
    }
    model = AdminUnit
    filterset_class = AdminUnitFilterSet
    serializer_class = AdminUnitSerializer
    select_related = ()

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.unit_create(
            signed_in(self.request.user),
            parent=data["parent"],
            code=data["code"],
            name=data["name"],
            level=data.get("level") or UnitLevel.NEIGHBOURHOOD,
            kind=data.get("kind", ""),
            valid_from=data.get("valid_from"),
            centroid_lat=data.get("centroid_lat"),
            centroid_lon=data.get("centroid_lon"),
            boundary=data.get("boundary"),
            population=data.get("population"),
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)
        data.pop("level", None)
        unit = serializer.instance
        if parent is not None and parent.pk != unit.parent_id:
            services.unit_move(signed_in(self.request.user), unit, new_parent=parent)
        serializer.instance = services.unit_update(signed_in(self.request.user), unit, **data)

    def perform_destroy(self, instance: AdminUnit) -> None:
        services.unit_delete(signed_in(self.request.user), instance)

    @extend_schema(
        parameters=[OpenApiParameter("date", dt.date, description="YYYY-MM-DD (default: today)")],
        responses=WeightedUnitSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def composition(self, request: Request, pk: str | None = None) -> Response:
        """The units valid on ``date`` that make up this unit, with shares."""
        unit = self.get_object()
        day = parse_day(request.query_params.get("date"), "date") or dt.date.today()
        return Response(
            [
                {"id": w.unit.pk, "code": w.unit.code, "name": w.unit.name, "share": w.share}
                for w in units_composing(unit, day)
            ]
        )

    @extend_schema(
        parameters=[OpenApiParameter("date", dt.date, description="YYYY-MM-DD (default: today)")],
        responses=WeightedUnitSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def successors(self, request: Request, pk: str | None = None) -> Response:
        """The units valid on ``date`` that this unit passed into, with shares."""
        unit = self.get_object()
        day = parse_day(request.query_params.get("date"), "date") or dt.date.today()
        return Response(
            [
                {"id": w.unit.pk, "code": w.unit.code, "name": w.unit.name, "share": w.share}
                for w in successors_on(unit, day)
            ]
        )


class UnitSuccessionViewSet(ScopedViewSet):
    domain_rules = {
        "create": (
            "a unit does not succeed itself",
            "the shares of a predecessor add up to at most 1",
        ),
    }
    model = UnitSuccession
    serializer_class = UnitSuccessionSerializer
    http_method_names = ["get", "post", "head", "options"]
    select_related = ("predecessor", "successor")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.succession_create(
            signed_in(self.request.user),
            predecessor=data["predecessor"],
            successor=data["successor"],
            date=data["date"],
            share=data.get("share", 1.0),
            note=data.get("note", ""),
        )
