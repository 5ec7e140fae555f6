"""Fixtures for report tests: a helper that submits a report through the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeward.reports.caches import clear_caches
from safeward.reports.models import Report
from safeward.reports.placing import clear_index
from safeward.reports.services import ReporterInfo, Submission, category_by_code, report_submit


@pytest.fixture
def submit(demo_units: dict[str, Any]) -> Callable[..., Submission]:
    """``submit(unit_key="cam_thinh_khu1_2025", category="theft", **overrides)``."""

    def make(
        unit_key: str = "cam_thinh_khu1_2025", category: str = "theft", **kw: Any
    ) -> Submission:
        unit = demo_units[unit_key]
        kw.setdefault("latitude", unit.centroid_lat)
        kw.setdefault("longitude", unit.centroid_lon)
        kw.setdefault("description", "Mất xe máy trước cửa nhà")
        kw.setdefault("channel", "web")
        if "reporter" in kw and isinstance(kw["reporter"], dict):
            kw["reporter"] = ReporterInfo(**kw["reporter"])
        actor = kw.pop("actor", None)
        return report_submit(actor, category=category_by_code(category), **kw)

    return make


@pytest.fixture
def report(submit: Callable[..., Submission]) -> Report:
    return submit().report


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a temporary folder, never to the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_placing_index() -> None:
    """Units, categories and rules change inside tests; no test may see another's caches."""
    clear_index()
    clear_caches()
