"""The watermark-driven refresh: changes recorded in the audit trail reach the rollups, nothing else runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeward.analytics import registry
from safeward.analytics.freshness import (
    REFRESH_SECONDS,
    Changes,
    earliest_change,
    figures_as_of,
    rollups_catch_up,
)
from safeward.analytics.models import FillState, RollupValue
from safeward.analytics.queries import total
from safeward.analytics.registry import Indicator
from safeward.analytics.rollups import EARLIEST
from safeward.analytics.tasks import refresh_rollups
from safeward.community.models import Group
from safeward.core.audit import UnnamedObjectError, audit_record, audit_record_bulk
from safeward.core.models import AuditEvent, AuditSeal
from safeward.reports.services import category_by_code, report_submit


def received(unit: Any, year: int) -> float | None:
    indicator = registry.get("reports.received")
    assert indicator is not None
    return total(indicator, unit, dt.date(year, 1, 1), dt.date(year, 12, 31))


@pytest.fixture
def submit(demo_units: dict[str, Any]) -> Any:
    def make(occurred_at: dt.datetime | None = None) -> Any:
        unit = demo_units["cam_thinh_khu1_2025"]
        return report_submit(
            None,
            category=category_by_code("theft"),
            description="Mất xe máy trước cửa nhà",
            channel="web",
            latitude=unit.centroid_lat,
            longitude=unit.centroid_lon,
            occurred_at=occurred_at,
        ).report

    return make


def test_a_submitted_report_is_counted_after_the_job_runs(
    db: Any, submit: Any, demo_units: dict[str, Any]
) -> None:
    rollups_catch_up()
    province = demo_units["province"]
    year = timezone.localdate().year
    assert received(province, year) == 0.0
    report = submit()
    assert received(province, year) == 0.0
    done = refresh_rollups.call()
    assert done["reports.received"] == str(year)
    assert received(province, year) == 1.0
    assert received(report.unit, year) == 1.0
    head = AuditSeal.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert FillState.objects.get(indicator="reports.received").audit_seq == head


def test_without_new_changes_the_job_does_no_work(
    db: Any, submit: Any, django_assert_max_num_queries: Any
) -> None:
    submit()
    rollups_catch_up()
    before = set(RollupValue.objects.values_list("pk", "value", "count"))
    with django_assert_max_num_queries(8):
        assert rollups_catch_up() == {}
    assert set(RollupValue.objects.values_list("pk", "value", "count")) == before


def test_only_indicators_watching_the_changed_records_are_refreshed(db: Any, submit: Any) -> None:
    rollups_catch_up()
    submit()
    done = rollups_catch_up()
    assert {code.split(".")[0] for code in done} == {"reports"}
    assert "cameras.working" not in done


def test_a_report_dated_in_an_earlier_year_refreshes_from_that_year(
    db: Any, submit: Any, demo_units: dict[str, Any]
) -> None:
    rollups_catch_up()
    occurred = timezone.make_aware(dt.datetime(2023, 5, 4, 10, 0))
    report = submit(occurred_at=occurred)
    done = rollups_catch_up()
    assert done["reports.violations_confirmed"] == "2023"
    assert report.occurred_at.year == 2023


def test_a_record_the_indicator_cannot_date_makes_it_rebuild(db: Any) -> None:
    indicator = registry.get("reports.received")
    assert indicator is not None
    changes = Changes(objects={"reports.report": {"999999999": []}})
    assert earliest_change(indicator, changes, dt.date(2026, 6, 1)) == EARLIEST


def test_a_former_date_in_the_changed_fields_widens_the_refresh(db: Any, submit: Any) -> None:
    indicator = registry.get("reports.received")
    assert indicator is not None
    report = submit()
    changes = Changes(
        objects={"reports.report": {str(report.pk): ["2021-03-04T05:06:07+00:00", "x"]}}
    )
    assert earliest_change(indicator, changes, timezone.localdate()) == dt.date(2021, 3, 4)
    cameras = Changes(objects={"cameras.camera": {"1": []}})
    assert earliest_change(indicator, cameras, dt.date(2026, 1, 1)) is None


def test_an_audit_event_naming_no_object_is_refused(db: Any) -> None:
    with pytest.raises(UnnamedObjectError):
        audit_record(None, "demo.groups", object_type="community.group")
    assert not AuditEvent.objects.filter(action="demo.groups").exists()


def test_a_bulk_event_refreshes_its_watchers_from_its_first_day(
    db: Any, demo_units: dict[str, Any]
) -> None:
    rollups_catch_up()
    audit_record_bulk(
        None,
        "demo.groups",
        Group,
        count=3,
        first_day=dt.date(2019, 4, 1),
        unit=demo_units["province"],
    )
    done = rollups_catch_up()
    assert done["community.groups"] == "2019"
    assert "reports.received" not in done


def test_an_old_event_with_an_empty_object_id_rebuilds_instead_of_failing(
    db: Any, submit: Any, demo_units: dict[str, Any]
) -> None:
    rollups_catch_up()
    report = submit()
    # Written before events had to name their object: the trail still holds such rows.
    AuditEvent.objects.create(
        occurred_at=timezone.now(), action="demo.reports", object_type="reports.report"
    )
    done = rollups_catch_up()
    assert done["reports.received"] == "rebuilt"
    assert received(demo_units["province"], report.received_at.year) == 1.0


@pytest.fixture
def failing_indicator(db: Any) -> Any:
    def source(start: dt.date, end: dt.date) -> Any:
        raise RuntimeError("source unavailable")

    broken = Indicator("test.broken", "Broken", "things", source=source, app="reports")
    registry.register(broken)
    yield broken
    registry.unregister(broken.code)


def test_one_failing_indicator_does_not_stop_the_others(
    failing_indicator: Indicator, submit: Any, demo_units: dict[str, Any]
) -> None:
    rollups_catch_up()
    FillState.objects.filter(indicator="test.broken").delete()
    report = submit()
    done = refresh_rollups.call()
    assert done["test.broken"] == "failed"
    assert done["reports.received"] == str(report.received_at.year)
    assert received(demo_units["province"], report.received_at.year) == 1.0
    assert not FillState.objects.filter(indicator="test.broken").exists()


def test_each_run_moves_the_figures_freshness(db: Any) -> None:
    rollups_catch_up()
    first = figures_as_of()
    assert first is not None
    rollups_catch_up()
    second = figures_as_of()
    assert second is not None and second > first


def test_healthz_reports_figures_never_built_as_degraded(db: Any) -> None:
    FillState.objects.all().delete()
    answer = Client().get("/healthz")
    assert answer.status_code == 200, answer
    body = answer.json()
    assert body["status"] == "degraded" and body["rollups"]["status"] == "stale"


def test_healthz_reports_figures_older_than_two_refreshes_as_degraded(db: Any) -> None:
    rollups_catch_up()
    old = timezone.now() - dt.timedelta(seconds=2 * REFRESH_SECONDS + 30)
    FillState.objects.update(current_at=old)
    body = Client().get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["rollups"]["age_seconds"] >= 2 * REFRESH_SECONDS + 30


def test_healthz_is_ok_right_after_a_refresh(db: Any) -> None:
    rollups_catch_up()
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["rollups"]["age_seconds"] <= REFRESH_SECONDS
