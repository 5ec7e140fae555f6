"""Built-in indicators over the other modules: registered when the module exists, sources readable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from safeward.analytics import registry
from safeward.analytics.builtin import register_builtin

EXPECTED = {
    "reports": [
        "reports.received",
        "reports.resolved",
        "reports.on_time",
        "reports.median_days",
        "reports.violations_confirmed",
        "reports.violations_per_1000",
    ],
    "cameras": ["cameras.working", "cameras.neighbourhoods_covered", "cameras.money_raised"],
    "evidence": [
        "evidence.requests_sent",
        "evidence.requests_answered",
        "evidence.requests_declined",
    ],
    "outreach": ["outreach.sessions", "outreach.attendees"],
}


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_indicators_of_installed_modules_are_registered(app: str) -> None:
    assert apps.is_installed(f"safeward.{app}")
    for code in EXPECTED[app]:
        assert registry.get(code) is not None, code


def test_every_builtin_source_reads_its_module(db: Any) -> None:
    register_builtin()
    for indicator in registry.stored_indicators():
        if indicator.app in EXPECTED:
            list(indicator.source(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))  # type: ignore[misc]


def test_derived_indicators_point_at_registered_ones() -> None:
    for indicator in registry.all_indicators():
        for code in (indicator.numerator, indicator.denominator):
            assert not code or registry.get(code) is not None, (indicator.code, code)


def test_report_dimensions_have_readable_names(db: Any) -> None:
    indicator = registry.get("reports.received")
    assert indicator is not None
    with translation.override("en"):
        assert indicator.value_labels("track")["crime_tip"] == "Crime tip"
    assert isinstance(indicator.value_labels("category"), dict)
    assert indicator.value_labels("no_such_dimension") == {}


def test_report_indicators_grouped_in_sql_equal_the_python_facts(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from dataclasses import replace

    from django.utils import timezone

    from safeward.analytics.rollups import rebuild_indicator
    from safeward.reports.services import category_by_code, report_resolve, report_submit

    from .conftest import rollup_snapshot

    unit = demo_units["cam_thinh_khu1_2025"]
    for code, year in (("theft", 2023), ("theft", 2025), ("noise", 2025)):
        report = report_submit(
            None,
            category=category_by_code(code),
            description="Mất xe máy trước cửa nhà",
            channel="web",
            latitude=unit.centroid_lat,
            longitude=unit.centroid_lon,
            occurred_at=timezone.make_aware(dt.datetime(year, 3, 4, 23, 30)),
        ).report
    report_resolve(personas["ward_officer"], report, outcome="warning", public_note="Đã nhắc nhở")
    for code in ("reports.received", "reports.resolved", "reports.violations_confirmed"):
        indicator = registry.get(code)
        assert indicator is not None and indicator.aggregates_in_sql
        assert rebuild_indicator(indicator) > 0
        in_sql = rollup_snapshot()
        rebuild_indicator(replace(indicator, fact_query=None))
        assert rollup_snapshot() == in_sql, code
