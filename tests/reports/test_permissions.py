from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeward.core.testing import PermissionSuite
from safeward.geo.models import AdminUnit
from safeward.reports.models import Report, RoutingRule
from safeward.reports.services import category_by_code, report_submit


class TestReportPermissions(PermissionSuite):
    model = Report
    basename = "report"

    def make_object(self, unit: AdminUnit) -> Report:
        when = None
        if unit.valid_to is not None:
            when = timezone.make_aware(dt.datetime.combine(unit.valid_to, dt.time(12)))
        return report_submit(
            None,
            category=category_by_code("theft"),
            description="Mất trộm",
            channel="web",
            unit=unit,
            occurred_at=when,
        ).report

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {"category": "disorder", "description": "Đánh nhau", "unit": unit.pk}

    def update_payload(self, obj: Report) -> dict[str, Any]:
        return {"priority": 3}


class TestRoutingRulePermissions(PermissionSuite):
    model = RoutingRule
    basename = "routingrule"

    def make_object(self, unit: AdminUnit) -> RoutingRule:
        return RoutingRule.objects.create(unit=unit, team="Tổ an ninh")

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {"unit": unit.pk, "category": "theft", "team": "Tổ tuần tra"}

    def update_payload(self, obj: RoutingRule) -> dict[str, Any]:
        return {"team": "Tổ mới"}
