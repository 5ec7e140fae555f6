"""The community app's public surface: every write (actor first, keyword-only, one
transaction, audited) and the read helpers other apps use. The writes live in
``community/services/``: other apps import them from the package only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from safeward.community.choices import FortressResult, GroupStatus, MemberRole
from safeward.community.models import (
    FortressAssessment,
    Group,
    Membership,
    MovementModel,
    Patrol,
    ShieldPledge,
)
from safeward.community.rules import (
    manages_group,
    require_choice,
    require_group_manager,
    require_not_future,
    require_unit_valid,
    unit_population,
)
from safeward.community.services.fortress import (
    build_criteria,
    checklist_for,
    criterion_add,
    criterion_change,
    fortress_assess,
    fortress_delete,
    fortress_result,
    fortress_update,
    pledge_delete,
    pledge_record,
    pledge_update,
)
from safeward.community.services.groups import (
    GROUP_FIELDS,
    group_create,
    group_delete,
    group_set_status,
    group_update,
    membership_add,
    membership_delete,
    membership_end,
    membership_update,
    patrol_delete,
    patrol_hours,
    patrol_log,
    patrol_update,
    roster_slot_add,
    roster_slot_delete,
    roster_week,
)
from safeward.community.services.movement import (
    MODEL_FIELDS,
    evaluation_add,
    evaluation_delete,
    evaluation_update,
    movement_model_create,
    movement_model_delete,
    movement_model_replicate,
    movement_model_update,
)
from safeward.core.scoping import has_perm_at
from safeward.people.models import Person
from safeward.people.personal import PERSON_IDENTITY

__all__ = [
    "GROUP_FIELDS",
    "MODEL_FIELDS",
    "active_group_of",
    "active_roles_of",
    "assessments_in",
    "build_criteria",
    "checklist_for",
    "community_summary",
    "criterion_add",
    "criterion_change",
    "evaluation_add",
    "evaluation_delete",
    "evaluation_update",
    "fortress_assess",
    "fortress_delete",
    "fortress_result",
    "fortress_update",
    "group_create",
    "group_delete",
    "group_leaders_in",
    "group_set_status",
    "group_update",
    "groups_in",
    "manages_group",
    "membership_add",
    "membership_delete",
    "membership_end",
    "membership_update",
    "memberships_in",
    "models_in",
    "movement_model_create",
    "movement_model_delete",
    "movement_model_replicate",
    "movement_model_update",
    "patrol_delete",
    "patrol_hours",
    "patrol_log",
    "patrol_update",
    "patrols_in",
    "persons_to_choose",
    "pledge_delete",
    "pledge_record",
    "pledge_update",
    "pledges_in",
    "require_choice",
    "require_group_manager",
    "require_not_future",
    "require_unit_valid",
    "roster_slot_add",
    "roster_slot_delete",
    "roster_week",
    "unit_population",
]


def groups_in(unit_paths: Iterable[str], *, on: dt.date | None = None) -> QuerySet[Group]:
    """Groups under the unit paths (founded by ``on`` when given)."""
    qs = Group.objects.in_paths(unit_paths)
    return qs.filter(founded_on__lte=on) if on else qs


def memberships_in(unit_paths: Iterable[str], *, on: dt.date | None = None) -> QuerySet[Membership]:
    """Memberships of groups under the unit paths (active on ``on`` when given)."""
    return Membership.objects.in_paths(unit_paths).active(on)


def persons_to_choose(user: Any, people: QuerySet[Person], unit: Any) -> QuerySet[Person]:
    """The persons of ``people`` a form may offer ``user`` by name in ``unit``.

    Whoever reads names there (police, the Front) gets them all; a group leader only the
    active members of the groups they lead, whose names are their own work. No one else is
    offered a list of names.
    """
    if has_perm_at(user, PERSON_IDENTITY, unit):
        return people
    led = Membership.objects.leading(user).values("group_id")
    members = Membership.objects.active().filter(group_id__in=led).values("person_id")
    return people.filter(pk__in=members)


def patrols_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[Patrol]:
    return Patrol.objects.in_paths(unit_paths).between(start, end)


def models_in(unit_paths: Iterable[str]) -> QuerySet[MovementModel]:
    """Movement models owned by units under the paths."""
    return MovementModel.objects.in_paths(unit_paths)


def assessments_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[FortressAssessment]:
    return FortressAssessment.objects.in_paths(unit_paths).between(start, end)


def pledges_in(
    unit_paths: Iterable[str], start: dt.date | None, end: dt.date | None
) -> QuerySet[ShieldPledge]:
    return ShieldPledge.objects.in_paths(unit_paths).between(start, end)


def active_roles_of(person: Any, group: Group | None = None) -> QuerySet[Membership]:
    """The person's active memberships (in ``group`` when given)."""
    qs = Membership.objects.filter(
        person=person, left_on__isnull=True, group__status=GroupStatus.ACTIVE
    )
    return qs.filter(group=group) if group is not None else qs


def group_leaders_in(unit_paths: Iterable[str]) -> QuerySet[Membership]:
    """Active leaders and deputies of groups under the unit paths."""
    return memberships_in(unit_paths).filter(role__in=[MemberRole.LEADER, MemberRole.DEPUTY])


def community_summary(unit_paths: Iterable[str], *, on: dt.date | None = None) -> dict[str, Any]:
    """Headline figures under the paths: groups by type and status, members, households
    covered, patrol hours (all time or up to ``on``), models by theme and status."""
    from django.db.models import Count, Sum

    paths = list(unit_paths)
    groups = groups_in(paths, on=on)
    patrols = Patrol.objects.in_paths(paths).between(None, on)
    assessed = assessments_in(paths, None, on)
    return {
        "groups": groups.count(),
        "groups_by_type": dict(groups.values_list("group_type").annotate(n=Count("pk"))),
        "groups_by_status": dict(groups.values_list("status").annotate(n=Count("pk"))),
        "members": memberships_in(paths, on=on).count(),
        "households_covered": groups.aggregate(n=Sum("households_covered"))["n"] or 0,
        "patrol_hours": patrols.aggregate(n=Sum("hours"))["n"] or 0,
        "models": MovementModel.objects.in_paths(paths).between(None, on).count(),
        "models_by_theme": dict(models_in(paths).values_list("theme").annotate(n=Count("pk"))),
        "neighbourhoods_assessed": assessed.values("unit_id").distinct().count(),
        "neighbourhoods_fortress": assessed.filter(result=FortressResult.FORTRESS)
        .values("unit_id")
        .distinct()
        .count(),
    }


def active_group_of(person_ids: Iterable[int]) -> dict[int, int]:
    """For each person, one active group they belong to."""
    rows = (
        Membership.objects.filter(person_id__in=list(person_ids), left_on__isnull=True)
        .order_by("person_id", "role", "group_id")
        .values_list("person_id", "group_id")
    )
    result: dict[int, int] = {}
    for person_id, group_id in rows:
        result.setdefault(person_id, group_id)
    return result
