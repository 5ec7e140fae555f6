"""Indicators over self-managed groups, patrols, movement models and drug-free assessments.

Found by :func:`safeward.analytics.registry.autodiscover` when the analytics app
starts, which registers what :func:`indicators` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeward.analytics.freshness import fact_days_by
from safeward.analytics.registry import (
    Aggregation,
    Fact,
    FactQuery,
    Indicator,
    Kind,
    choice_labels,
    span,
)
from safeward.community import choices
from safeward.community.models import (
    FortressAssessment,
    Group,
    GroupStatusChange,
    Membership,
    MovementModel,
    Patrol,
)


def groups_founded(start: dt.date, end: dt.date) -> FactQuery:
    rows = Group.objects.filter(founded_on__gte=start, founded_on__lte=end)
    return FactQuery(
        rows, unit="unit_id", day="founded_on", dims={"type": "group_type", "status": "status"}
    )


def active_members(start: dt.date, end: dt.date) -> FactQuery:
    rows = Membership.objects.filter(joined_on__gte=start, joined_on__lte=end, left_on__isnull=True)
    return FactQuery(rows, unit="group__unit_id", day="joined_on", dims={"role": "role"})


def households_covered(start: dt.date, end: dt.date) -> FactQuery:
    rows = Group.objects.filter(
        founded_on__gte=start, founded_on__lte=end, status=choices.GroupStatus.ACTIVE
    )
    return FactQuery(
        rows,
        unit="unit_id",
        day="founded_on",
        dims={"type": "group_type"},
        value="households_covered",
    )


def patrol_hours(start: dt.date, end: dt.date) -> FactQuery:
    rows = Patrol.objects.filter(date__gte=start, date__lte=end)
    return FactQuery(
        rows, unit="group__unit_id", day="date", dims={"type": "group__group_type"}, value="hours"
    )


def movement_models(start: dt.date, end: dt.date) -> FactQuery:
    rows = MovementModel.objects.filter(start_date__gte=start, start_date__lte=end)
    return FactQuery(
        rows, unit="unit_id", day="start_date", dims={"theme": "theme", "status": "status"}
    )


def _assessments(start: dt.date, end: dt.date, result: str | None = None) -> FactQuery:
    """One fact per assessment, keyed by its neighbourhood (counted once however often assessed)."""
    found = FortressAssessment.objects.filter(period_end__gte=start, period_end__lte=end)
    if result:
        found = found.filter(result=result)
    return FactQuery(
        found, unit="unit_id", day="period_end", dims={"result": "result"}, value="unit_id"
    )


def neighbourhoods_assessed(start: dt.date, end: dt.date) -> FactQuery:
    return _assessments(start, end)


def neighbourhoods_fortress(start: dt.date, end: dt.date) -> FactQuery:
    return _assessments(start, end, choices.FortressResult.FORTRESS)


def groups_active(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Groups active: from founding, leaving and re-entering with their recorded status changes."""
    changes: dict[int, list[tuple[dt.date, str, str]]] = {}
    for group_id, day, before, after in GroupStatusChange.objects.order_by(
        "changed_on", "pk"
    ).values_list("group_id", "changed_on", "from_status", "to_status"):
        changes.setdefault(group_id, []).append((day, before, after))
    active = choices.GroupStatus.ACTIVE
    rows = Group.objects.values_list("pk", "unit_id", "group_type", "founded_on", "status")
    for pk, unit_id, kind, founded, status in rows.iterator(chunk_size=5000):
        dims = {"type": kind}
        history = changes.get(pk)
        if history is None and status != active:
            continue  # inactive with no recorded change: never counted as active
        if start <= founded <= end:
            yield Fact(unit_id, founded, dims, 1.0)
        for day, before, after in history or []:
            if (before == active) != (after == active) and start <= day <= end:
                yield Fact(unit_id, day, dims, 1.0 if after == active else -1.0)


def members_active(start: dt.date, end: dt.date) -> Iterator[Fact]:
    rows = Membership.objects.values_list("group__unit_id", "role", "joined_on", "left_on")
    for unit_id, role, joined, left in rows.iterator(chunk_size=5000):
        yield from span(unit_id, {"role": role}, joined, left, (start, end))


def models_active(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Models not stopped today, from their start date (models keep no status history)."""
    rows = MovementModel.objects.exclude(status=choices.ModelStatus.STOPPED).filter(
        start_date__gte=start, start_date__lte=end
    )
    for unit_id, theme, day in rows.values_list("unit_id", "theme", "start_date"):
        yield Fact(unit_id, day, {"theme": theme}, 1.0)


GROUPS_ACTIVE_NOTE = _(
    "Self-managed groups active at the end of the period: every group from the day it was "
    "founded, less those whose recorded status change made them inactive or dissolved by then."
)
MODELS_ACTIVE_NOTE = _(
    "Mass-movement models started by the end of the period and not stopped today (models keep "
    "no status history, so one stopped since is left out of earlier periods as well)."
)


def community_labels(dimension: str) -> dict[str, str]:
    vocabulary = {
        "type": choices.GroupType,
        "status": choices.GroupStatus,
        "role": choices.MemberRole,
        "theme": choices.ModelTheme,
        "result": choices.FortressResult,
    }
    found = vocabulary.get(dimension)
    return choice_labels(found) if found else {}


def movement_model_labels(dimension: str) -> dict[str, str]:
    if dimension == "status":
        return choice_labels(choices.ModelStatus)
    return community_labels(dimension)


# The day each record's facts fall on: the refresh recomputes from that year only.
FACT_DAYS = fact_days_by(
    {
        "community.group": ("founded_on",),
        "community.groupstatuschange": ("changed_on",),
        "community.membership": ("joined_on",),
        "community.patrol": ("date",),
        "community.movementmodel": ("start_date",),
        "community.fortressassessment": ("period_end",),
    }
)


DIMENSION_NAMES = {
    "type": _("Type"),
    "status": _("Status"),
    "role": _("Role"),
    "theme": _("Theme"),
    "result": _("Result"),
}


def indicators() -> list[Indicator]:
    common: dict[str, Any] = {
        "app": "community",
        "labels": community_labels,
        "dimension_names": DIMENSION_NAMES,
    }
    return [
        Indicator(
            "community.groups",
            _("Self-managed groups founded"),
            pgettext_lazy("unit of measure", "groups"),
            fact_query=groups_founded,
            dimensions=("type", "status"),
            **common,
            watches=("community.group",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.members",
            _("Group members joined (still members)"),
            pgettext_lazy("unit of measure", "people"),
            fact_query=active_members,
            dimensions=("role",),
            **common,
            watches=("community.membership",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.groups_active",
            _("Self-managed groups active"),
            pgettext_lazy("unit of measure", "groups"),
            Aggregation.SUM,
            source=groups_active,
            kind=Kind.STOCK,
            note=GROUPS_ACTIVE_NOTE,
            dimensions=("type",),
            **common,
            watches=("community.group", "community.groupstatuschange"),
            fact_days=FACT_DAYS,
            headline=10,
        ),
        Indicator(
            "community.members_active",
            _("Group members"),
            pgettext_lazy("unit of measure", "people"),
            Aggregation.SUM,
            source=members_active,
            kind=Kind.STOCK,
            dimensions=("role",),
            **common,
            watches=("community.membership",),
            fact_days=FACT_DAYS,
            headline=20,
        ),
        Indicator(
            "community.models_active",
            _("Mass-movement models active"),
            pgettext_lazy("unit of measure", "models"),
            source=models_active,
            kind=Kind.STOCK,
            note=MODELS_ACTIVE_NOTE,
            dimensions=("theme",),
            app="community",
            labels=movement_model_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("community.movementmodel",),
            fact_days=FACT_DAYS,
            headline=30,
        ),
        Indicator(
            "community.households_covered",
            _("Households covered by self-managed groups"),
            pgettext_lazy("unit of measure", "households"),
            Aggregation.SUM,
            fact_query=households_covered,
            dimensions=("type",),
            **common,
            watches=("community.group",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.patrol_hours",
            _("Patrol and activity hours"),
            pgettext_lazy("unit of measure", "hours"),
            Aggregation.SUM,
            fact_query=patrol_hours,
            dimensions=("type",),
            **common,
            watches=("community.patrol", "community.group"),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.movement_models",
            _("Mass-movement models started"),
            pgettext_lazy("unit of measure", "models"),
            fact_query=movement_models,
            dimensions=("theme", "status"),
            app="community",
            labels=movement_model_labels,
            dimension_names=DIMENSION_NAMES,
            watches=("community.movementmodel",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.neighbourhoods_assessed",
            _("Neighbourhoods assessed"),
            pgettext_lazy("unit of measure", "neighbourhoods"),
            Aggregation.DISTINCT,
            fact_query=neighbourhoods_assessed,
            dimensions=("result",),
            **common,
            watches=("community.fortressassessment",),
            fact_days=FACT_DAYS,
        ),
        Indicator(
            "community.neighbourhoods_fortress",
            _("Neighbourhoods at drug-free fortress level"),
            pgettext_lazy("unit of measure", "neighbourhoods"),
            Aggregation.DISTINCT,
            fact_query=neighbourhoods_fortress,
            dimensions=("result",),
            **common,
            watches=("community.fortressassessment",),
            fact_days=FACT_DAYS,
        ),
    ]
