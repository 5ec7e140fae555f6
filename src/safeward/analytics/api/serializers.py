"""Shapes of the indicator API (for the schema; the views build plain dicts, so all read-only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from safeward.core.api import BooleanField


class IndicatorSerializer(serializers.Serializer):
    public_fields = {"name": "the indicator's name, not a person's"}
    code = serializers.CharField()
    name = serializers.CharField()
    unit_of_measure = serializers.CharField()
    aggregation = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.CharField())
    finest_period = serializers.CharField()
    suppress_small_counts = BooleanField()
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    app = serializers.CharField()


# The list action answers one object holding ``results``, not an array of them.
@extend_schema_serializer(many=False)
class IndicatorListSerializer(serializers.Serializer):
    results = IndicatorSerializer(many=True)


class ValueRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(read_only=True)
    period = serializers.CharField(allow_null=True, read_only=True)
    period_start = serializers.DateField(allow_null=True, read_only=True)
    group = serializers.CharField(
        allow_null=True, help_text="named after the `by` dimension", read_only=True
    )
    value = serializers.FloatField(allow_null=True, read_only=True)


class ValuesSerializer(serializers.Serializer):
    indicator = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(read_only=True)
    results = ValueRowSerializer(many=True, read_only=True)
