from __future__ import annotations

import pytest
from django.apps import apps

from safeward.demo.scenario import run_demo

pytestmark = pytest.mark.django_db
COUNTED = [
    "reports.Report",
    "cameras.Camera",
    "community.Group",
    "outreach.Session",
    "geo.AdminUnit",
]


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_running_the_demo_twice_reuses_what_exists() -> None:
    run_demo(seed=2024, log=lambda _m: None)
    first = _counts()
    assert first["cameras.Camera"] >= 790 and first["community.Group"] >= 1163
    lines: list[str] = []
    run_demo(seed=2024, log=lines.append)
    assert _counts() == first
    assert "reports: already built" in lines
