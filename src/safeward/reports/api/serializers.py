from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safeward.accounts.models import User
from safeward.core.api import (
    BooleanField,
    FlatSerializer,
    ModelSerializer,
    ScopedRelatedField,
    Serializer,
)
from safeward.core.personal import INPUT_ONLY, NOT_PERSONAL, PersonalFieldsMixin
from safeward.geo.models import AdminUnit
from safeward.reports.choices import Channel, Outcome, Priority
from safeward.reports.models import (
    Report,
    ReporterIdentity,
    ReportEvent,
    ReportMessage,
    RoutingRule,
    ServiceCategory,
)
from safeward.reports.personal import HANDLING


class ReportSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (HANDLING,)
    public_fields = {
        "category_name": NOT_PERSONAL,
        "description": "the matter reported, which every role following the area's reports"
        " needs; who reported is the reporter identity, behind reports.view_reporter",
        "public_note": "written for the reporter and shown on the public tracking page",
    }
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "tracking_code",
            "category",
            "category_name",
            "attributes",
            "description",
            "latitude",
            "longitude",
            "address",
            "media_url",
            "unit",
            "ward",
            "occurred_at",
            "received_at",
            "updated_at",
            "channel",
            "anonymous",
            "status",
            "priority",
            "track",
            "due_on",
            "overdue",
            "extension_reason",
            "assignee",
            "team",
            "outcome",
            "public_note",
            "internal_note",
            "resolved_at",
            "duplicate_of",
        ]
        read_only_fields = fields


class ReportCreateSerializer(FlatSerializer):
    # Intake answers with the receipt (created_body), never with these fields.
    public_fields = dict.fromkeys(
        ("description", "address", "reporter_name", "reporter_phone", "reporter_email"),
        INPUT_ONLY,
    )
    category = serializers.CharField(max_length=40)
    description = serializers.CharField(max_length=20000, trim_whitespace=True)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    unit = ScopedRelatedField(AdminUnit, required=False, allow_null=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    media_url = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    attributes = serializers.DictField(required=False, default=dict)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    anonymous = BooleanField(default=True)
    reporter_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    reporter_email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, default=""
    )


class RoutingRuleSerializer(ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceCategory.objects.all(),
        required=False,
        allow_null=True,
    )
    unit = ScopedRelatedField(AdminUnit)
    assignee = ScopedRelatedField(User, required=False, allow_null=True)

    class Meta:
        model = RoutingRule
        fields = ["id", "unit", "category", "assignee", "team", "active"]


class ReportUpdateSerializer(Serializer):
    public_fields = dict.fromkeys(("internal_note", "address"), INPUT_ONLY)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    internal_note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)


class AssignSerializer(Serializer):
    assignee = ScopedRelatedField(User, required=False, allow_null=True)
    team = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class ResolveSerializer(Serializer):
    public_fields = dict.fromkeys(("public_note", "internal_note"), INPUT_ONLY)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    public_note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    internal_note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )


class ExtendSerializer(Serializer):
    public_fields = {"reason": INPUT_ONLY}
    due_on = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class ReasonSerializer(Serializer):
    public_fields = {"reason": INPUT_ONLY}
    reason = serializers.CharField(max_length=500)


class MergeSerializer(Serializer):
    into = ScopedRelatedField(Report, action="change")


class MessageSerializer(ModelSerializer):
    public_fields = {
        "body": "the conversation with the reporter, read only by holders of"
        " reports.view_reportmessage (the police handling reports)",
    }

    class Meta:
        model = ReportMessage
        fields = ["id", "sender", "body", "at"]
        read_only_fields = ["id", "sender", "at"]


class EventSerializer(ModelSerializer):
    public_fields = {
        "note": "the report's timeline, read only by holders of reports.view_reportevent"
        " (the police handling reports)",
    }

    class Meta:
        model = ReportEvent
        fields = ["id", "kind", "at", "actor", "public", "status", "note", "changes"]
        read_only_fields = fields


class IdentitySerializer(ModelSerializer):
    public_fields = dict.fromkeys(
        ("name", "phone", "email"),
        "sent only by the reporter action, which needs reports.view_reporter and audits"
        " every look (services.reporter_identity_view)",
    )

    class Meta:
        model = ReporterIdentity
        fields = ["name", "phone", "email"]


class ReceiptSerializer(Serializer):
    """What intake answers: enough to follow the report (the secret only on first creation)."""

    id = serializers.IntegerField(read_only=True)
    tracking_code = serializers.CharField(read_only=True)
    secret = serializers.CharField(allow_null=True, read_only=True)
    status = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(read_only=True)
    ward = serializers.IntegerField(read_only=True)
    track = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)


def created_body(report: Report, secret: str | None) -> dict[str, Any]:
    """The receipt, built by hand: intake is the hottest path of the API."""
    return {
        "id": report.pk,
        "tracking_code": report.tracking_code,
        "secret": secret,
        "status": report.status,
        "category": report.category.code,
        "unit": report.unit_id,
        "ward": report.ward_id,
        "track": report.track,
        "due_on": report.due_on.isoformat(),
        "received_at": report.received_at.isoformat().replace("+00:00", "Z"),
    }
