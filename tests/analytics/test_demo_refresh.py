"""The real demo, then new records through the services, then the real refresh task.

The full scenario takes a quarter of a minute, so it is built once for this module
inside a transaction rolled back at the end (the session's foundation stays as it was).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from safeward.analytics import registry
from safeward.analytics.models import FillState
from safeward.analytics.queries import total
from safeward.analytics.tasks import refresh_rollups
from safeward.community.services.groups import group_create
from safeward.geo.models import AdminUnit
from safeward.outreach.services import session_create
from safeward.reports.services.intake import category_by_code, report_submit


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from safeward.demo.scenario import run_demo

    with django_db_blocker.unblock(), transaction.atomic():
        run_demo(seed=2024, log=lambda _m: None)
        yield
        transaction.set_rollback(True)


def _figure(code: str, unit: AdminUnit, *, year: int | None = None) -> float | None:
    indicator = registry.get(code)
    assert indicator is not None
    today = timezone.localdate()
    year = year or today.year
    end = min(dt.date(year, 12, 31), today)
    return total(indicator, unit, dt.date(year, 1, 1), end)


def test_demo_leaves_every_indicator_current(demo: None, db: Any) -> None:
    stored = {i.code for i in registry.stored_indicators()}
    current = set(
        FillState.objects.filter(current_at__isnull=False, audit_seq__isnull=False).values_list(
            "indicator", flat=True
        )
    )
    assert stored <= current


def test_refresh_after_demo_fails_no_indicator(demo: None, db: Any) -> None:
    assert "failed" not in refresh_rollups.call().values()


def test_new_report_group_and_session_are_counted_after_refresh(
    demo: None, db: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1_2025"]
    ward = hood.parent
    before = {
        code: _figure(code, ward)
        for code in ("reports.received", "community.groups", "outreach.sessions")
    }
    officer = personas["ward_officer"]
    report_submit(
        officer,
        category=category_by_code("noise"),
        description="Karaoke quá 22 giờ",
        channel="phone",
        unit=hood,
    )
    group_create(officer, unit=hood, name="Tổ tự quản bờ kè")
    session_create(
        officer,
        unit=ward,
        date=timezone.localdate(),
        place="Nhà văn hóa Khu 1",
        topic="drugs",
        status="held",
        attendance=80,
    )

    outcome = refresh_rollups.call()

    assert "failed" not in outcome.values()
    for code, value in before.items():
        assert _figure(code, ward) == (value or 0) + 1, code
