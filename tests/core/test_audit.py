from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from safeward.core.audit import audit_record, audit_seal, audit_verify
from safeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(n: int, actor: Any, unit: Any) -> list[AuditEvent]:
    return [
        audit_record(actor, "test.write", unit, changes={"n": i, "ý": "Cẩm Thịnh"})
        for i in range(n)
    ]


def test_sealed_chain_verifies(personas: dict[str, Any], demo_units: dict[str, Any]) -> None:
    _events(5, personas["ward_officer"], demo_units["cua_ong"])
    audit_seal()
    result = audit_verify()
    assert result.ok, result.message
    assert result.checked == AuditEvent.objects.count()


def test_sealing_is_incremental_and_idempotent(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    audit_seal()
    _events(3, personas["ward_officer"], demo_units["cua_ong"])
    assert audit_seal() == 3
    assert audit_seal() == 0


def test_database_refuses_update_and_delete(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    event = _events(1, personas["ward_officer"], demo_units["cua_ong"])[0]
    for sql in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.write"


def _tamper(event_id: int) -> None:
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            c.execute("UPDATE core_auditevent SET reason = 'edited' WHERE id = %s", [event_id])
            c.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
        else:
            c.execute("DROP TRIGGER core_auditevent_no_update")
            c.execute("UPDATE core_auditevent SET reason = 'edited' WHERE id = %s", [event_id])
            c.execute(
                "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE on core_auditevent refused'); END"
            )


def test_an_edited_row_breaks_verify_at_that_event(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    events = _events(4, personas["ward_officer"], demo_units["cua_ong"])
    audit_seal()
    _tamper(events[2].pk)
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == events[2].pk
    assert f"event {events[2].pk} was changed" in result.message


def test_verify_command_names_the_first_broken_link(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from django.core.management import CommandError, call_command

    events = _events(2, personas["ward_officer"], demo_units["cua_ong"])
    audit_seal()
    _tamper(events[0].pk)
    with pytest.raises(CommandError, match=f"event {events[0].pk}"):
        call_command("audit", "verify")


def test_events_carry_request_id_and_ip(client_for: Any, demo_units: dict[str, Any]) -> None:
    client = client_for("ward_officer")
    response = client.post(
        f"/units/{demo_units['cua_ong'].pk}/add/",
        {"code": "REQ-1", "name": "Khu R", "kind": "Khu phố"},
        HTTP_X_REQUEST_ID="req-abc-123",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="unit.create").latest("id")
    assert (event.request_id, event.ip, event.actor_label) == (
        "req-abc-123",
        "127.0.0.1",
        "ward_officer",
    )


def test_audit_list_shows_only_the_users_scope(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    audit_record(personas["ward_officer"], "test.cua_ong", demo_units["cua_ong"])
    audit_record(personas["other_ward_officer"], "test.bai_chay", demo_units["bai_chay"])
    body = client_for("ward_officer").get("/audit/?action=test.").content.decode()
    assert "test.cua_ong" in body and "test.bai_chay" not in body
    # Without the audit permission anywhere the page is not there at all.
    resident = client_for("resident").get("/audit/")
    assert resident.status_code == 404 and "test.cua_ong" not in resident.content.decode()


def test_audit_rows_read_in_the_readers_language(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    """The object is named by its kind, a changed field by its label and a choice by its
    label, in the reader's language; a key that is no field stays a code."""
    from safeward.community.models import Group

    group = Group.objects.filter(
        unit__path__startswith=demo_units["cua_ong"].path
    ).first() or Group.objects.create(
        unit=demo_units["cua_ong"], name="Tổ tự quản Khu 1", founded_on="2025-08-01"
    )
    assert group is not None
    audit_record(
        personas["ward_officer"],
        "group.update",
        group,
        changes={
            "status": ["active", "dissolved"],
            "households_covered": [40, 42],
            "memberships": 3,  # a reverse relation: no label of its own
            "bulk": {"count": 4, "first_day": "2024-03-12"},
        },
    )
    page = client_for("ward_officer").get("/audit/?action=group.update", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert ">Self-managed group<" in body and ">community.group" not in body
    assert "<b>Status</b>: Active → Dissolved" in body
    assert "<b>Households covered</b>: 40 → 42" in body
    assert "<b><code>memberships</code></b>: 3" in body
    assert (
        "<b><code>bulk</code></b>: <code>count</code> 4 · <code>first_day</code> 2024-03-12" in body
    )
    assert "households_covered" not in body
