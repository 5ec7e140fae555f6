from __future__ import annotations

from rest_framework import serializers

from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.core.personal import INPUT_ONLY
from safeward.evidence.models import (
    CustodyEvent,
    Delivery,
    EvidenceItem,
    FootageRequest,
    RequestTarget,
)

# Footage requests and their targets are read by the police who ask and the Front members
# who approve (evidence.view_footagerequest, view_requesttarget); evidence items and their
# custody only by the police (evidence.view_evidenceitem). Every read of a clip is audited.
REQUEST_TEXT = "part of the request's record, read only by those who ask for and approve footage"
EVIDENCE_TEXT = "part of the evidence record, read only by the police (view_evidenceitem)"


class DeliverySerializer(ModelSerializer):
    """One attempt to bring the custodian their link, with the time of each step taken."""

    class Meta:
        model = Delivery
        fields = [
            "attempt",
            "state",
            "failure",
            "answer",
            "queued_at",
            "sent_at",
            "failed_at",
            "opened_at",
            "answered_at",
            "revoked_at",
        ]
        read_only_fields = fields


class TargetSerializer(ModelSerializer):
    public_fields = {"note": REQUEST_TEXT}
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = RequestTarget
        fields = [
            "id",
            "camera",
            "distance_m",
            "kept_until",
            "response",
            "responded_at",
            "note",
            "deliveries",
        ]
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
    public_fields = {"note": INPUT_ONLY}
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(Serializer):
    public_fields = {"note": INPUT_ONLY}
    target = serializers.IntegerField()
    response = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CustodyEventSerializer(ModelSerializer):
    public_fields = {"actor_label": "the account that touched the evidence: " + EVIDENCE_TEXT}

    class Meta:
        model = CustodyEvent
        fields = ["seq", "action", "actor_label", "at", "details", "prev_hash", "hash"]


class EvidenceItemSerializer(ModelSerializer):
    public_fields = dict.fromkeys(("original_name", "reason_outside_window"), EVIDENCE_TEXT)
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
    public_fields = {"reason": INPUT_ONLY}
    retention = serializers.CharField()
    reason = serializers.CharField(allow_blank=True, default="")


class OfficerUploadSerializer(Serializer):
    public_fields = {"reason_outside_window": INPUT_ONLY}
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
