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
from safeward.community.personal import PLEDGE_SIGNER
from safeward.community.services import movement
from safeward.core.api import ModelSerializer, ScopedRelatedField, Serializer
from safeward.core.personal import INPUT_ONLY, NOT_PERSONAL, PersonalFieldsMixin
from safeward.geo.models import AdminUnit
from safeward.people.models import Household, Person

GROUP_TEXT = (
    "written about the group by its leader and the Front and police who run groups, and read"
    " by the same (community.view_group)"
)


class GroupStatusChangeSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {"reason": GROUP_TEXT}

    class Meta:
        model = GroupStatusChange
        fields = ["from_status", "to_status", "changed_on", "reason"]


class GroupSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {"name": NOT_PERSONAL, "note": GROUP_TEXT}
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
    public_fields = {"reason": INPUT_ONLY}
    status = serializers.CharField()
    on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MembershipSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {
        "person_name": "memberships are read only by the police and the Front, who run groups,"
        " and by the group's own leader or deputy (GroupChildQuerySet.narrow): their own work",
        "contact_preference": "a channel (a choice), not the phone or address",
    }
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


class MovementModelSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {"name": NOT_PERSONAL}
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
        extra_kwargs = {"score": {"min_value": movement.MIN_SCORE, "max_value": movement.MAX_SCORE}}


class FortressAssessmentSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {
        "note": "the assessors' finding on a neighbourhood (not on a person), read by those"
        " who follow drug-free assessments"
    }
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


class ShieldPledgeSerializer(PersonalFieldsMixin, ModelSerializer):
    personal = (PLEDGE_SIGNER,)
    public_fields = {"note": "a note on the pledge, read by those who collect pledges"}
    household = ScopedRelatedField(Household)
    pledged_on = serializers.DateField(required=False)

    class Meta:
        model = ShieldPledge
        fields = ["id", "household", "pledged_on", "signed_by", "note"]


class FortressCriterionSerializer(PersonalFieldsMixin, ModelSerializer):
    public_fields = {"label": NOT_PERSONAL}
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = FortressCriterion
        fields = ["id", "unit", "code", "label", "active"]
