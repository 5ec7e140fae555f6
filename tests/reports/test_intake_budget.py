"""One API submission costs a fixed number of queries; the kept token and scopes never outlive a change."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeward.accounts.models import RoleAssignment, hash_token
from safeward.accounts.services import role_revoke, token_create, token_revoke
from safeward.core.models import AuditEvent
from safeward.core.scoping import scope_cache
from safeward.reports.models import IdempotencyRecord, Report, ReportEvent
from safeward.reports.placing import clear_index, unit_index

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"
# Idempotency look-up, then the report with its idempotency record, timeline event and
# audit event: one statement on PostgreSQL, four in one transaction elsewhere (plus the
# savepoint pair the test's own transaction adds).
WARM_BUDGET = 4 if connection.vendor == "postgresql" else 7
# A process that has not yet seen this token, user or place also reads the token with its
# user, the user's assignments, the units they were formed from, their paths, and the unit.
COLD_BUDGET = WARM_BUDGET + 6


@pytest.fixture
def kept_scopes(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Let the scope cache and the unit index keep what this (rolled-back) test reads;
    drop both afterwards. The change stamp lives in this test's own folder, away from
    other test runs on the machine."""
    settings.VAR_DIR = tmp_path
    scope_cache.keep_uncommitted = unit_index().keep_uncommitted = True
    scope_cache.invalidate()
    yield
    scope_cache.keep_uncommitted = unit_index().keep_uncommitted = False
    scope_cache.invalidate()
    clear_index()


@pytest.fixture
def officer_token(personas: dict[str, Any]) -> tuple[Any, str]:
    return token_create(personas["ward_officer"], name="intake", days=1)


def submit(client: Client, raw: str, demo_units: dict[str, Any], key: str = "") -> Any:
    unit = demo_units["cam_thinh_khu1_2025"]
    body = {
        "category": "theft",
        "description": "Mất xe máy trước cửa nhà văn hóa",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
    }
    return client.post(
        URL,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}",
        HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
    )


def test_a_warm_submission_stays_within_its_query_budget(
    kept_scopes: None, officer_token: tuple[Any, str], demo_units: dict[str, Any]
) -> None:
    client = Client()
    assert submit(client, officer_token[1], demo_units).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = submit(client, officer_token[1], demo_units)
    assert response.status_code == 201
    assert len(queries) <= WARM_BUDGET, [q["sql"][:120] for q in queries.captured_queries]


def test_a_cold_submission_stays_within_its_query_budget(
    officer_token: tuple[Any, str], demo_units: dict[str, Any]
) -> None:
    client = Client()
    submit(client, officer_token[1], demo_units)
    with CaptureQueriesContext(connection) as queries:
        response = submit(client, officer_token[1], demo_units)
    assert response.status_code == 201
    assert len(queries) <= COLD_BUDGET, [q["sql"][:120] for q in queries.captured_queries]


def test_a_kept_submission_still_writes_every_record_once(
    kept_scopes: None, officer_token: tuple[Any, str], demo_units: dict[str, Any]
) -> None:
    client = Client()
    submit(client, officer_token[1], demo_units)
    first = submit(client, officer_token[1], demo_units, key="same-key")
    again = submit(client, officer_token[1], demo_units, key="same-key")
    assert (first.status_code, again.status_code) == (201, 200)
    report = Report.objects.get(pk=first.json()["id"])
    assert again.json()["id"] == report.pk and again.json()["secret"] is None
    assert report.ward_id == demo_units["cua_ong"].pk
    assert report.created_by_id == officer_token[0].user_id
    assert IdempotencyRecord.objects.filter(key="same-key").count() == 1
    assert ReportEvent.objects.filter(report=report).count() == 1
    audited = AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk))
    assert list(audited.values_list("action", flat=True)) == ["reports.submit"]


def test_a_revoked_token_is_refused_at_once_though_it_was_kept(
    kept_scopes: None, officer_token: tuple[Any, str], demo_units: dict[str, Any]
) -> None:
    token, raw = officer_token
    client = Client()
    assert submit(client, raw, demo_units).status_code == 201
    token_revoke(token.user, token)
    assert submit(client, raw, demo_units).status_code in (401, 403)


def test_a_revoked_role_takes_effect_at_once_though_scopes_were_kept(
    kept_scopes: None,
    officer_token: tuple[Any, str],
    demo_units: dict[str, Any],
    personas: dict[str, Any],
) -> None:
    token, raw = officer_token
    client = Client()
    assert submit(client, raw, demo_units).status_code == 201
    before = Report.objects.count()
    for assignment in RoleAssignment.objects.filter(user=token.user):
        role_revoke(personas["province_admin"], assignment)
    assert submit(client, raw, demo_units).status_code == 403
    assert Report.objects.count() == before


def test_a_change_in_another_process_drops_what_this_one_kept(
    kept_scopes: None, officer_token: tuple[Any, str], demo_units: dict[str, Any], settings: Any
) -> None:
    """Gunicorn workers share no memory: a revocation in one reaches the others at once."""
    raw = officer_token[1]
    assert submit(Client(), raw, demo_units).status_code == 201
    key = hash_token(raw)
    assert scope_cache.get("token", key, scope_cache.generation()) is not None
    code = "import django; django.setup()\nfrom safeward.core.scoping import scope_cache\nscope_cache.invalidate()\n"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "SAFEWARD_VAR_DIR": str(settings.VAR_DIR)}
    env["DJANGO_SETTINGS_MODULE"] = "safeward.config.settings"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=root, timeout=120)
    assert scope_cache.get("token", key, scope_cache.generation()) is None
