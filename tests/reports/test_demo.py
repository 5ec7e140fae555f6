"""The demo step: history since 2019, violations in Cẩm Thịnh / Cửa Ông falling, nothing overdue there."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest
from django.db.models import Count

from safeward.analytics.freshness import rollups_catch_up
from safeward.demo.registry import DemoContext
from safeward.geo.models import AdminUnit
from safeward.reports.choices import VIOLATION_OUTCOMES
from safeward.reports.demo import populate
from safeward.reports.models import Report
from safeward.reports.stats import unit_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas: dict[str, Any], demo_units: dict[str, Any]) -> DemoContext:
    ctx = DemoContext(
        seed=2024, rng=random.Random(2024), users=personas, units=demo_units, log=lambda _m: None
    )
    populate(ctx)
    return ctx


def test_demo_has_reports_from_2019(demo: DemoContext) -> None:
    assert Report.objects.order_by("occurred_at").first().occurred_at.year == 2019  # type: ignore[union-attr]


def test_violations_in_cam_thinh_and_cua_ong_fall_every_year(demo: DemoContext) -> None:
    wards = [demo.units["cam_thinh"].pk, demo.units["cua_ong"].pk]
    rows = (
        Report.objects.filter(ward_id__in=wards, outcome__in=VIOLATION_OUTCOMES)
        .values_list("occurred_at__year")
        .annotate(n=Count("pk"))
        .order_by("occurred_at__year")
    )
    counts = [n for _year, n in rows]
    assert len(counts) >= 8
    assert all(a > b for a, b in pairwise(counts))


def test_public_stats_of_cua_ong_include_cam_thinh_history(demo: DemoContext) -> None:
    rollups_catch_up()
    stats = unit_stats(demo.units["cua_ong"])
    years = [year for year, _n in stats.violations_by_year]
    assert years[0] == 2019
    counts = [n for _y, n in stats.violations_by_year]
    assert all(a > b for a, b in pairwise(counts))


def test_no_open_case_is_overdue_in_cam_thinh_or_cua_ong(demo: DemoContext) -> None:
    for key in ("cam_thinh", "cua_ong"):
        unit: AdminUnit = demo.units[key]
        assert not Report.objects.in_unit(unit).overdue().exists()
    assert Report.objects.in_unit(demo.units["cua_ong"]).open().exists()


def test_every_history_report_has_its_creation_in_the_audit_trail(demo: DemoContext) -> None:
    from safeward.core.audit import audit_verify
    from safeward.core.models import AuditEvent

    reports = set(Report.objects.values_list("pk", flat=True))
    created = set(
        AuditEvent.objects.filter(
            object_type="reports.report", action="reports.submit"
        ).values_list("object_id", flat=True)
    )
    assert {str(pk) for pk in reports} <= created
    first = Report.objects.order_by("received_at").first()
    assert first is not None
    event = AuditEvent.objects.get(action="reports.submit", object_id=str(first.pk))
    assert event.occurred_at == first.received_at and event.unit_path == first.unit_path
    closed = AuditEvent.objects.filter(action="reports.status", object_id=str(first.pk))
    assert [e.changes["status"][1] for e in closed.order_by("id")] == ["resolved", "closed"]
    result = audit_verify()
    assert result.ok, result.message
