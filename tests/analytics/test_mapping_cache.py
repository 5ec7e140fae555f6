"""The successions behind "as is" figures are kept per process, and never outlive a change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeward.accounts.models import User
from safeward.analytics.mapping import source_weights
from safeward.core.scoping import scope_cache
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.geo.services import succession_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Let the scope cache keep what this (rolled-back) test reads; drop it afterwards."""
    settings.VAR_DIR = tmp_path
    scope_cache.keep_uncommitted = True
    scope_cache.invalidate()
    yield
    scope_cache.keep_uncommitted = False
    scope_cache.invalidate()


def test_weights_are_read_once_then_kept(kept: None, demo_units: dict[str, Any]) -> None:
    cua_ong = demo_units["cua_ong"]
    first = source_weights([cua_ong.pk], as_is=True)
    assert demo_units["cam_thinh"].pk in first[cua_ong.pk]
    with CaptureQueriesContext(connection) as captured:
        again = source_weights([cua_ong.pk], as_is=True)
    assert [q["sql"] for q in captured.captured_queries] == []
    assert again == first


def test_a_new_succession_shows_at_once(kept: None, demo_units: dict[str, Any]) -> None:
    cua_ong = demo_units["cua_ong"]
    before = source_weights([cua_ong.pk], as_is=True)
    other = (
        AdminUnit.objects.filter(
            level=UnitLevel.WARD, valid_to__isnull=True, path__subtree=demo_units["province"].path
        )
        .exclude(pk=cua_ong.pk)
        .order_by("code")
        .first()
    )
    assert other is not None and other.pk not in before[cua_ong.pk]
    admin = User.objects.create_superuser("mapping_admin", password="x" * 16)
    succession_create(
        admin, predecessor=other, successor=cua_ong, date=dt.date(2025, 7, 1), share=0.25
    )
    after = source_weights([cua_ong.pk], as_is=True)
    assert after[cua_ong.pk][other.pk] == pytest.approx(0.25)
    # The new predecessor's own predecessors come in with its share; nothing earlier changes.
    assert all(after[cua_ong.pk][k] == pytest.approx(v) for k, v in before[cua_ong.pk].items())
