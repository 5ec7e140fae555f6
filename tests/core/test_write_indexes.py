"""Rows written on every request carry only the indexes a read uses, and scoping still uses one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from safeward.core.models import AuditEvent
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db


def single_column_indexes(table: str) -> dict[str, list[str]]:
    """Column -> names of the non-unique indexes on that column alone."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    columns: dict[str, list[str]] = {}
    for name, info in found.items():
        if info["index"] and not info["unique"] and len(info["columns"]) == 1:
            columns.setdefault(info["columns"][0], []).append(name)
    return columns


def test_covered_columns_have_no_index_of_their_own() -> None:
    audit = single_column_indexes("core_auditevent")
    reports = single_column_indexes("reports_report")
    assert "object_type" not in audit  # audit_object_idx leads with it
    assert "category_id" not in reports and "ward_id" not in reports  # (…, received_at) indexes
    assert audit["action"] == ["audit_action_idx"]
    assert audit["unit_path"] == ["audit_unit_path_idx"]
    assert reports["unit_path"] == ["reports_unit_path_idx"]


def test_the_audit_trail_stays_append_only_after_the_index_change() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
            )
        triggers = {row[0] for row in cursor.fetchall()}
    assert triggers, "the append-only triggers were lost"


def plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("model", "index"),
    [(AuditEvent, "audit_unit_path_idx"), (Report, "reports_unit_path_idx")],
)
def test_subtree_scoping_reads_through_the_path_index(model: Any, index: str) -> None:
    queryset = model.objects.filter(unit_path__subtree="/1/23/").values("pk")
    assert index in plan(queryset)


def test_action_filters_read_through_its_index() -> None:
    assert "audit_action_idx" in plan(AuditEvent.objects.filter(action="reports.submit"))
    if connection.vendor == "postgresql":
        # SQLite's LIKE ignores case, so no index serves a prefix there on any column.
        prefix = AuditEvent.objects.filter(action__startswith="reports.").values("pk")
        assert "audit_action_idx" in plan(prefix)
