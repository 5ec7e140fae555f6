from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from safeward.cameras.contacts import CANDIDATE_CUSTODIAN, CUSTODIAN, ORGANISER
from safeward.cameras.models import Camera, Campaign, ConsentRecord, Contribution, Expense
from safeward.cameras.services import CAMERA_FIELDS
from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.core.personal import INPUT_ONLY, PersonalFieldsMixin
from safeward.geo.models import AdminUnit


def _checked_by_services(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Drop the model's range validators: the services check ranges and name the field at fault."""
    for name in names:
        fields[name].validators = []
        for attr in ("min_value", "max_value"):
            setattr(fields[name], attr, None)
    return fields


class CameraSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (CUSTODIAN,)
    public_fields = {"custodian_kind": "a category (household, business, ...), not who"}
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = Camera
        fields = ["id", "unit", *CAMERA_FIELDS, "consent_active"]
        read_only_fields = ["consent_active"]
        extra_kwargs = {
            "bearing": {"required": False},
            "fov": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        # Range and sign checks live in the services, which name the field at fault.
        return _checked_by_services(
            super().get_fields(), ("bearing", "fov", "range_m", "retention_days", "cost_vnd")
        )


class ConsentRecordSerializer(ModelSerializer):
    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "camera",
            "terms_version",
            "scope",
            "granted_at",
            "withdrawn_at",
            "captured_how",
        ]
        read_only_fields = fields


class CampaignSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (ORGANISER,)
    public_fields = {"organiser_kind": "a category (the Front, residents, ...), not who"}
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "unit",
            "title",
            "goal_vnd",
            "starts_on",
            "ends_on",
            "organiser_kind",
            "organiser_label",
        ]

    def get_fields(self) -> dict[str, Any]:
        return _checked_by_services(super().get_fields(), ("goal_vnd",))


class ContributionSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {
        "donor_name": "read only by those who take and receipt contributions (view_contribution:"
        " officers and Front members); public pages show public_name, which honours listing",
        "void_reason": "a bookkeeping reason written by staff for the same readers",
    }
    campaign = ScopedRelatedField(Campaign)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "campaign",
            "donor_name",
            "amount_vnd",
            "date",
            "receipt_no",
            "listing",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["voided_at", "void_reason"]

    def get_fields(self) -> dict[str, Any]:
        return _checked_by_services(super().get_fields(), ("amount_vnd",))


class ExpenseSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {
        "description": "what the money bought, for the campaign's bookkeepers (view_expense)",
        "void_reason": "a bookkeeping reason written by staff for the same readers",
    }
    campaign = ScopedRelatedField(Campaign)
    camera = ScopedRelatedField(Camera, required=False, allow_null=True)

    class Meta:
        model = Expense
        fields = [
            "id",
            "campaign",
            "kind",
            "amount_vnd",
            "date",
            "description",
            "camera",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["voided_at", "void_reason"]

    def get_fields(self) -> dict[str, Any]:
        return _checked_by_services(super().get_fields(), ("amount_vnd",))


class VoidSerializer(Serializer):
    public_fields = {"reason": INPUT_ONLY}
    reason = serializers.CharField(
        max_length=500,
        error_messages={
            "required": gettext_lazy("Say why the entry is voided."),
            "blank": gettext_lazy("Say why the entry is voided."),
        },
    )


class CandidateSerializer(PersonalFieldsMixin, Serializer):
    personal = (CANDIDATE_CUSTODIAN,)

    camera = serializers.IntegerField(source="camera.pk", read_only=True)
    custodian = serializers.CharField(source="camera.custodian_label", read_only=True)
    distance_m = serializers.FloatField(read_only=True)
    kept_until = serializers.DateTimeField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
