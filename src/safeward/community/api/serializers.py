from __future__ import annotations

from rest_framework import serializers

from safeward.community.models import (
    FortressAssessment,
    FortressCriterion,
    Group,
    GroupStatusChange,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.geo.models import AdminUnit
from safeward.people.models import Household, Person


class GroupStatusChangeSerializer(ModelSerializer):
    class Meta:
        model = GroupStatusChange
        fields = ["from_status", "to_status", "changed_on", "reason"]


class GroupSerializer(ModelSerializer):
    unit = ScopedRelatedField(AdminUnit)
    founded_on = serializers.DateField(required=False)
    status_history = GroupStatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "unit",
            "group_type",
            "name",
            "status",
            "households_covered",
            "founded_on",
            "note",
            "status_history",
        ]
        read_only_fields = ["status"]


class GroupStatusSerializer(Serializer):
    status = serializers.CharField()
    on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(ModelSerializer):
    group = ScopedRelatedField(Group)
    person = ScopedRelatedField(Person)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    joined_on = serializers.DateField(required=False)

    class Meta:
        model = Membership
        fields = [
            "id",
            "group",
            "person",
            "person_name",
            "role",
            "joined_on",
            "left_on",
            "contact_preference",
        ]
        read_only_fields = ["left_on"]


class MembershipEndSerializer(Serializer):
    left_on = serializers.DateField(required=False)


class PatrolSerializer(ModelSerializer):
    group = ScopedRelatedField(Group)
    members_present = ScopedRelatedField(Person, many=True, required=False)

    class Meta:
        model = Patrol
        fields = [
            "id",
            "group",
            "kind",
            "date",
            "start_time",
            "end_time",
            "area",
            "observed",
            "members_present",
            "hours",
            "report_reference",
        ]
        read_only_fields = ["hours"]


class RosterSlotSerializer(ModelSerializer):
    group = ScopedRelatedField(Group)
    person = ScopedRelatedField(Person)

    class Meta:
        model = RosterSlot
        fields = ["id", "group", "person", "date", "start_time", "end_time", "area"]


class MovementModelSerializer(ModelSerializer):
    unit = ScopedRelatedField(AdminUnit)
    units = ScopedRelatedField(AdminUnit, many=True, required=False)
    replicated_from = ScopedRelatedField(MovementModel, required=False, allow_null=True)

    class Meta:
        model = MovementModel
        fields = [
            "id",
            "name",
            "theme",
            "lead_organisation",
            "unit",
            "units",
            "start_date",
            "status",
            "replicated_from",
            "goals",
            "indicators",
        ]


class ReplicateSerializer(Serializer):
    unit = ScopedRelatedField(AdminUnit)
    units = ScopedRelatedField(AdminUnit, many=True, required=False)
    start_date = serializers.DateField()


class ModelEvaluationSerializer(ModelSerializer):
    movement_model = ScopedRelatedField(MovementModel)

    class Meta:
        model = ModelEvaluation
        fields = [
            "id",
            "movement_model",
            "date",
            "score",
            "findings",
            "recommendations",
            "evaluator",
        ]


class FortressAssessmentSerializer(ModelSerializer):
    unit = ScopedRelatedField(AdminUnit)
    criteria = serializers.DictField(child=serializers.DictField())

    class Meta:
        model = FortressAssessment
        fields = [
            "id",
            "unit",
            "period_start",
            "period_end",
            "criteria",
            "result",
            "assessed_on",
            "note",
        ]
        read_only_fields = ["result", "assessed_on"]


class ShieldPledgeSerializer(ModelSerializer):
    household = ScopedRelatedField(Household)
    pledged_on = serializers.DateField(required=False)

    class Meta:
        model = ShieldPledge
        fields = ["id", "household", "pledged_on", "signed_by", "note"]


class FortressCriterionSerializer(ModelSerializer):
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = FortressCriterion
        fields = ["id", "unit", "code", "label", "active"]
