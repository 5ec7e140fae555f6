from __future__ import annotations

from rest_framework import serializers

from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.evidence.models import CustodyEvent, EvidenceItem, FootageRequest, RequestTarget


class TargetSerializer(ModelSerializer):
    class Meta:
        model = RequestTarget
        fields = ["id", "camera", "distance_m", "kept_until", "response", "responded_at", "note"]
        read_only_fields = fields


class FootageRequestSerializer(ModelSerializer):
    report = ScopedRelatedField("reports.Report")
    cameras = ScopedRelatedField("cameras.Camera", many=True, write_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = FootageRequest
        fields = [
            "id",
            "report",
            "unit",
            "purpose",
            "window_start",
            "window_end",
            "radius_m",
            "cameras",
            "targets",
            "approvals_needed",
            "status",
            "created_at",
            "sent_at",
        ]
        read_only_fields = ["unit", "approvals_needed", "status", "created_at", "sent_at"]


class DecisionSerializer(Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(Serializer):
    target = serializers.IntegerField()
    response = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CustodyEventSerializer(ModelSerializer):
    class Meta:
        model = CustodyEvent
        fields = ["seq", "action", "actor_label", "at", "details", "prev_hash", "hash"]


class EvidenceItemSerializer(ModelSerializer):
    custody = CustodyEventSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "unit",
            "request",
            "camera",
            "original_name",
            "sha256",
            "size_bytes",
            "content_type",
            "clock_offset_s",
            "recorded_start",
            "recorded_end",
            "corrected_start",
            "corrected_end",
            "acquisition",
            "minutes_reference",
            "outside_window",
            "reason_outside_window",
            "retention",
            "retain_until",
            "received_at",
            "purged_at",
            "custody",
        ]
        read_only_fields = fields


class RetentionSerializer(Serializer):
    retention = serializers.CharField()
    reason = serializers.CharField(allow_blank=True, default="")


class OfficerUploadSerializer(Serializer):
    """A clip an officer extracted on site, sent as multipart form data."""

    target = serializers.IntegerField()
    file = serializers.FileField()
    acquisition = serializers.CharField(default="officer_extraction")
    minutes_reference = serializers.CharField(allow_blank=True, default="")
    recorded_start = serializers.DateTimeField()
    recorded_end = serializers.DateTimeField()
    clock_offset_s = serializers.IntegerField(required=False, allow_null=True, default=None)
    declared_sha256 = serializers.CharField(allow_blank=True, default="")
    reason_outside_window = serializers.CharField(allow_blank=True, default="", max_length=500)
