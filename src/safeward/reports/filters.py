"""Report list filters shared by the staff pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from safeward.core.errors import DomainError
from safeward.geo.models import AdminUnit
from safeward.reports.choices import LegalTrack, ReportStatus
from safeward.reports.models import ReportQuerySet

FLAGS = {"1", "true", "yes", "on"}


def _choice(params: Mapping[str, Any], name: str, allowed: list[str]) -> str:
    value = str(params.get(name) or "")
    if value and value not in allowed:
        raise DomainError(_("Unknown {name} “{value}”.").format(name=name, value=value), field=name)
    return value


def filter_reports(qs: ReportQuerySet, params: Mapping[str, Any], user: Any) -> ReportQuerySet:
    """Narrow ``qs`` by status, category, track, unit subtree, assignee, overdue, due soon, code."""
    status = _choice(params, "status", ReportStatus.values)
    if status:
        qs = qs.filter(status=status)
    elif str(params.get("open") or "") in FLAGS:
        qs = qs.open()
    track = _choice(params, "track", LegalTrack.values)
    if track:
        qs = qs.filter(track=track)
    if params.get("category"):
        qs = qs.filter(category__code=params["category"])
    qs = _by_unit(qs, str(params.get("unit") or ""))
    assignee = str(params.get("assignee") or "")
    if assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee.isdigit():
        qs = qs.filter(assignee_id=int(assignee))
    if str(params.get("overdue") or "") in FLAGS:
        qs = qs.overdue()
    if str(params.get("due_soon") or "") in FLAGS:
        qs = qs.due_soon()
    if params.get("q"):
        qs = qs.filter(tracking_code__icontains=str(params["q"]).strip())
    return qs


def _by_unit(qs: ReportQuerySet, unit_id: str) -> ReportQuerySet:
    if not unit_id:
        return qs
    unit = AdminUnit.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
    if unit is None:
        raise DomainError(_("Unknown unit."), field="unit")
    return qs.in_unit(unit)
