"""Filters of the community lists, shared by the pages and the API."""

from __future__ import annotations

from safeward.community.choices import (
    FortressResult,
    GroupStatus,
    GroupType,
    MemberRole,
    ModelStatus,
    ModelTheme,
)
from safeward.community.models import (
    FortressAssessment,
    Group,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.core.filters import (
    ChoiceFilter,
    ScopedFilterSet,
    SearchFilter,
    UnitDateFilterSet,
)


class GroupFilterSet(UnitDateFilterSet):
    q = SearchFilter("name")
    group_type = ChoiceFilter(GroupType)
    status = ChoiceFilter(GroupStatus)

    class Meta(ScopedFilterSet.Meta):
        model = Group


class MembershipFilterSet(UnitDateFilterSet):
    role = ChoiceFilter(MemberRole)

    class Meta(ScopedFilterSet.Meta):
        model = Membership


class PatrolFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = Patrol


class RosterSlotFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = RosterSlot


class MovementModelFilterSet(UnitDateFilterSet):
    q = SearchFilter("name")
    theme = ChoiceFilter(ModelTheme)
    status = ChoiceFilter(ModelStatus)

    class Meta(ScopedFilterSet.Meta):
        model = MovementModel


class ModelEvaluationFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = ModelEvaluation


class FortressAssessmentFilterSet(UnitDateFilterSet):
    q = SearchFilter("unit__name")
    result = ChoiceFilter(FortressResult)

    class Meta(ScopedFilterSet.Meta):
        model = FortressAssessment


class ShieldPledgeFilterSet(UnitDateFilterSet):
    class Meta(ScopedFilterSet.Meta):
        model = ShieldPledge
