from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.community import filters, services
from safeward.community.api import serializers as s
from safeward.community.models import (
    FortressAssessment,
    FortressCriterion,
    Group,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.core.api import ScopedViewSet
from safeward.core.viewkit import reject_fixed


class GroupViewSet(ScopedViewSet):
    """Self-managed groups; a group leader may change only the groups they lead."""

    domain_rules = {
        "write": (
            "a group belongs to a ward or a neighbourhood",
            "a group is not founded in the future",
            "a status change is not dated before the group was founded",
        ),
    }
    model = Group
    filterset_class = filters.GroupFilterSet
    serializer_class = s.GroupSerializer
    select_related = ("unit",)
    prefetch_related = ("status_changes",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.group_create(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(
            dict(serializer.validated_data), serializer.instance, "unit", "founded_on"
        )
        serializer.instance = services.group_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: Group) -> None:
        services.group_delete(self.request.user, instance)

    @extend_schema(request=s.GroupStatusSerializer, responses=s.GroupSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        """Change the group's status (kept in its history)."""
        group = self.get_object()
        body = s.GroupStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.group_set_status(request.user, group, **body.validated_data)
        getattr(group, "_prefetched_objects_cache", {}).pop("status_changes", None)
        return Response(s.GroupSerializer(group, context=self.get_serializer_context()).data)


class MembershipViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "the person holds at most one active role in a group",
            "leaving is not before joining",
            "the group is not dissolved",
        ),
    }
    model = Membership
    filterset_class = filters.MembershipFilterSet
    serializer_class = s.MembershipSerializer
    select_related = ("person", "group")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.membership_add(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(
            dict(serializer.validated_data), serializer.instance, "group", "person", "joined_on"
        )
        serializer.instance = services.membership_update(
            self.request.user,
            serializer.instance,
            role=data.get("role"),
            contact_preference=data.get("contact_preference"),
        )

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_delete(self.request.user, instance)

    @extend_schema(request=s.MembershipEndSerializer, responses=s.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """Record that the member left the group."""
        membership = self.get_object()
        body = s.MembershipEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.membership_end(request.user, membership, **body.validated_data)
        return Response(self.get_serializer(membership).data)


class PatrolViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "members present are active members of the group",
            "a patrol is not dated in the future",
            "the group is not dissolved",
        ),
    }
    model = Patrol
    filterset_class = filters.PatrolFilterSet
    serializer_class = s.PatrolSerializer
    select_related = ("group",)
    prefetch_related = ("members_present",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.patrol_log(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "group", "date")
        serializer.instance = services.patrol_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: Patrol) -> None:
        services.patrol_delete(self.request.user, instance)


class RosterSlotViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "the person is an active member of the group",
            "a member is on duty once at a time",
        ),
    }
    model = RosterSlot
    filterset_class = filters.RosterSlotFilterSet
    serializer_class = s.RosterSlotSerializer
    select_related = ("person",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.roster_slot_add(
            self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: RosterSlot) -> None:
        services.roster_slot_delete(self.request.user, instance)


class MovementModelViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a replica does not start before the model it copies",
            "a replica's unit lies inside the model's unit",
        ),
        "replicate": (
            "a replica does not start before the model it copies",
            "its units lie inside the model's unit",
        ),
    }
    model = MovementModel
    filterset_class = filters.MovementModelFilterSet
    serializer_class = s.MovementModelSerializer
    prefetch_related = ("units",)
    action_scopes = {"replicate": "view"}  # copying a model reads the original

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.movement_model_create(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(
            dict(serializer.validated_data),
            serializer.instance,
            "unit",
            "start_date",
            "replicated_from",
        )
        serializer.instance = services.movement_model_update(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance: MovementModel) -> None:
        services.movement_model_delete(self.request.user, instance)

    @extend_schema(request=s.ReplicateSerializer, responses={201: s.MovementModelSerializer})
    @action(detail=True, methods=["post"])
    def replicate(self, request: Request, pk: str | None = None) -> Response:
        """Copy the model to other units, keeping the link to this one."""
        original = self.get_object()
        body = s.ReplicateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        replica = services.movement_model_replicate(request.user, original, **body.validated_data)
        return Response(self.get_serializer(replica).data, status=201)


class ModelEvaluationViewSet(ScopedViewSet):
    domain_rules = {
        "write": ("the evaluation is not dated before the model started or in the future",),
    }
    model = ModelEvaluation
    filterset_class = filters.ModelEvaluationFilterSet
    serializer_class = s.ModelEvaluationSerializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.evaluation_add(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "movement_model")
        serializer.instance = services.evaluation_update(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance: ModelEvaluation) -> None:
        services.evaluation_delete(self.request.user, instance)


class FortressAssessmentViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "an assessment is made per neighbourhood or village, once per period",
            "the period does not end before it starts",
            "every active criterion is assessed; a criterion met has an evidence note",
        ),
    }
    model = FortressAssessment
    filterset_class = filters.FortressAssessmentFilterSet
    serializer_class = s.FortressAssessmentSerializer

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data["checks"] = data.pop("criteria")
        serializer.instance = services.fortress_assess(self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(
            dict(serializer.validated_data),
            serializer.instance,
            "unit",
            "period_start",
            "period_end",
        )
        serializer.instance = services.fortress_update(
            self.request.user,
            serializer.instance,
            checks=data.get("criteria"),
            note=data.get("note"),
        )

    def perform_destroy(self, instance: FortressAssessment) -> None:
        services.fortress_delete(self.request.user, instance)


class ShieldPledgeViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a household pledges once, on a day not in the future",
            "households covered are at most the unit's population",
        ),
    }
    model = ShieldPledge
    filterset_class = filters.ShieldPledgeFilterSet
    serializer_class = s.ShieldPledgeSerializer
    select_related = ("household__unit",)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.pledge_record(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(
            dict(serializer.validated_data), serializer.instance, "household", "pledged_on"
        )
        serializer.instance = services.pledge_update(
            self.request.user,
            serializer.instance,
            signed_by=data.get("signed_by"),
            note=data.get("note"),
        )

    def perform_destroy(self, instance: ShieldPledge) -> None:
        services.pledge_delete(self.request.user, instance)


class FortressCriterionViewSet(ScopedViewSet):
    """Criteria a province or ward adds to the drug-free checklist; switched off, never deleted
    (past assessments refer to them by code)."""

    domain_rules = {
        "write": (
            "criteria are added by a province or a ward",
            "a criterion's code is new in its unit",
        ),
    }
    model = FortressCriterion
    serializer_class = s.FortressCriterionSerializer
    select_related = ("unit",)
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.criterion_add(
            self.request.user,
            unit=data["unit"],
            code=data["code"],
            label=data["label"],
            active=data.get("active", True),
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit", "code")
        serializer.instance = services.criterion_change(
            self.request.user,
            serializer.instance,
            label=data.get("label"),
            active=data.get("active"),
        )
