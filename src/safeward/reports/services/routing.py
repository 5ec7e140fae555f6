"""Routing rules: which officer or team gets the reports of a unit subtree (and category)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_at
from safeward.core.services import require_perm
from safeward.geo.models import AdminUnit
from safeward.reports.models import (
    RoutingRule,
    ServiceCategory,
)

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


@transaction.atomic
def routing_rule_create(
    actor: Viewer,
    *,
    unit: AdminUnit,
    category: ServiceCategory | None = None,
    assignee: Any = None,
    team: str = "",
) -> RoutingRule:
    """Route reports of ``unit``'s subtree (and ``category``) to an officer and/or team."""
    require_perm(actor, "reports.add_routingrule", unit)
    if unit.valid_to is not None:
        raise DomainError(
            _("{unit} no longer exists; route reports of the unit that replaced it.").format(
                unit=unit
            ),
            field="unit",
            code="bad_unit",
        )
    _check_route_target(unit, assignee, team)
    rule = RoutingRule.objects.create(unit=unit, category=category, assignee=assignee, team=team)
    audit_record(actor, "reports.routing_rule", rule, unit=unit)
    return rule


def _check_route_target(unit: AdminUnit, assignee: Any, team: str) -> None:
    if assignee is None and not team:
        raise DomainError(_("Choose an officer or a team."), field="assignee", code="required")
    if assignee is not None and not has_perm_at(assignee, "reports.change_report", unit):
        raise DomainError(
            _("{user} cannot handle reports in {unit}.").format(user=assignee, unit=unit),
            field="assignee",
            code="bad_assignee",
        )


@transaction.atomic
def routing_rule_update(
    actor: Viewer,
    rule: RoutingRule,
    *,
    assignee: Any = None,
    team: str | None = None,
    active: bool | None = None,
) -> RoutingRule:
    """Change where a rule sends reports, or switch it off."""
    require_perm(actor, "reports.change_routingrule", rule.unit)
    if assignee is not None:
        rule.assignee = assignee
    if team is not None:
        rule.team = team[:80]
    if active is not None:
        rule.active = active
    _check_route_target(rule.unit, rule.assignee, rule.team)
    rule.save()
    audit_record(actor, "reports.routing_rule_update", rule, unit=rule.unit)
    return rule


@transaction.atomic
def routing_rule_delete(actor: Viewer, rule: RoutingRule) -> None:
    """Remove a routing rule."""
    require_perm(actor, "reports.delete_routingrule", rule.unit)
    audit_record(actor, "reports.routing_rule_delete", rule, unit=rule.unit)
    rule.delete()
