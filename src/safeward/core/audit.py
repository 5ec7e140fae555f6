"""Writing, sealing and verifying the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from safeward.core import context
from safeward.core.models import AuditEvent, AuditSeal
from safeward.core.rows import appending

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

P = ParamSpec("P")
GENESIS = "0" * 64
SEAL_LOCK_KEY = 724_311  # PostgreSQL advisory lock id for the sealer
# The object id of an event that stands for many records of one type written together
# (see :func:`audit_record_bulk`); readers of the trail find the records through its changes.
BULK_ID = "*"


class UnnamedObjectError(ValueError):
    """An audit event must name the object it is about (type and id)."""


def _unit_of(obj: Any) -> Any:
    if obj is None:
        return None
    if obj.__class__.__name__ == "AdminUnit":
        return obj
    return getattr(obj, "audit_unit", None) or getattr(obj, "unit", None)


def audit_event(
    actor: Viewer,
    action: str,
    obj: Model | None = None,
    *,
    unit: Any = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
    sensitive_read: bool = False,
) -> AuditEvent:
    """One audit event, unsaved: :func:`audit_record` appends it, or it is written with ``obj``.

    Raises :class:`UnnamedObjectError` when neither ``obj`` nor ``object_type`` and
    ``object_id`` name the object: readers of the trail (the rollup refresh) look
    every event's object up by its id. An ``obj`` not yet saved is named by the key
    it is given on insert (see ``core.rows.insert_linked``).
    """
    unit = unit if unit is not None else _unit_of(obj)
    ctx = context.current()
    signed = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    object_type = object_type or (obj._meta.label_lower if obj is not None else "")
    object_id = object_id or (str(obj.pk) if obj is not None and obj.pk is not None else "")
    _check_named(action, object_type, object_id or ("new" if obj is not None else ""))
    return AuditEvent(
        occurred_at=timezone.now(),
        actor_id=signed.pk if signed is not None else None,
        actor_label=(signed.get_username() if signed is not None else "")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=str(obj)[:200] if obj is not None else "",
        unit_id=unit.pk if unit is not None else None,
        unit_path=unit.path if unit is not None else "",
        request_id=ctx.request_id,
        ip=ctx.ip,
        reason=reason[:500],
        changes=_jsonable(changes or {}),
        sensitive_read=sensitive_read,
    )


def _check_named(action: str, object_type: str, object_id: str) -> None:
    if not object_type or not object_id:
        raise UnnamedObjectError(f"audit event {action!r} names no object (type and id)")
    if object_id == BULK_ID:
        raise UnnamedObjectError(
            f"audit event {action!r}: record bulk writes with audit_record_bulk"
        )


def _refusing_unnamed(build: Callable[P, AuditEvent]) -> Callable[P, AuditEvent]:
    """``build``, refusing an event whose object has no id by the time it is appended."""

    def named(*args: P.args, **kwargs: P.kwargs) -> AuditEvent:
        event = build(*args, **kwargs)
        _check_named(event.action, event.object_type, event.object_id)
        return event

    return named


audit_record = appending(
    _refusing_unnamed(audit_event),
    "audit_record",
    "Append one audit event in the caller's transaction (no lock, no chain work).",
)


def _day_text(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def audit_record_bulk(
    actor: Viewer,
    action: str,
    model: type[Model],
    *,
    count: int,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    unit: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event standing for ``count`` records of ``model`` written together (a bulk step).

    Its object id is :data:`BULK_ID`; ``changes["bulk"]`` says how many records and the
    earliest and latest day their facts fall on, so a reader refreshes from
    ``first_day`` (from the very start when it is not given).
    """
    bulk = {"count": count, "first_day": _day_text(first_day), "last_day": _day_text(last_day)}
    event = audit_event(
        actor,
        action,
        unit=unit,
        object_type=model._meta.label_lower,
        object_id="bulk",
        changes={**(changes or {}), "bulk": bulk},
    )
    event.object_id = BULK_ID
    event.object_label = f"{count} × {model._meta.verbose_name}"[:200]
    event.save()
    return event


def audit_record_many(
    actor: Viewer,
    action: str,
    objects: Iterable[Model],
    *,
    occurred_at: Callable[[Any], dt.datetime] | None = None,
    reason: str = "",
    changes: Callable[[Any], dict[str, Any]] | None = None,
    batch_size: int = 1000,
) -> int:
    """Append one event per object in a few multi-row INSERTs (records written in bulk).

    ``occurred_at`` and ``changes`` give each object's time and changed fields; the time
    defaults to now. Returns how many events were written.
    """
    ctx = context.current()
    signed = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    events = []
    for obj in objects:
        unit = _unit_of(obj)
        _check_named(action, obj._meta.label_lower, str(obj.pk or ""))
        events.append(
            AuditEvent(
                occurred_at=occurred_at(obj) if occurred_at else now,
                actor_id=signed.pk if signed is not None else None,
                actor_label=(signed.get_username() if signed is not None else "")[:150],
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_label=str(obj)[:200],
                unit_id=unit.pk if unit is not None else None,
                unit_path=unit.path if unit is not None else "",
                request_id=ctx.request_id,
                ip=ctx.ip,
                reason=reason[:500],
                changes=_jsonable(changes(obj)) if changes else {},
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as ``{"field": [old, new]}``."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def canonical(event: AuditEvent) -> bytes:
    fields = {
        "id": event.pk,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "unit_id": event.unit_id,
        "unit_path": event.unit_path,
        "request_id": event.request_id,
        "ip": event.ip,
        "reason": event.reason,
        "changes": event.changes,
        "sensitive_read": event.sensitive_read,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(event)).hexdigest()


def audit_seal(batch_size: int = 2000) -> int:
    """Chain every unsealed event, in id order, in batches. Returns how many were sealed."""
    total = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            last = AuditSeal.objects.order_by("-seq").first()
            seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
            events = list(AuditEvent.objects.filter(seal__isnull=True).order_by("id")[:batch_size])
            now = timezone.now()
            seals = []
            for event in events:
                seq += 1
                digest = chain_hash(prev, event)
                seals.append(
                    AuditSeal(seq=seq, event=event, prev_hash=prev, hash=digest, sealed_at=now)
                )
                prev = digest
            AuditSeal.objects.bulk_create(seals)
        total += len(seals)
        if len(events) < batch_size:
            return total


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_event_id: int | None = None
    message: str = ""


def audit_verify(seal_first: bool = True) -> VerifyResult:
    """Recompute the chain from the start; report the first broken link."""
    if seal_first:
        audit_seal()
    prev = GENESIS
    checked = 0
    expected_seq = 1
    seals = AuditSeal.objects.select_related("event").order_by("seq")
    for seal in seals.iterator(chunk_size=2000):
        problem = ""
        if seal.seq != expected_seq:
            problem = f"seal {expected_seq} is missing"
        elif seal.prev_hash != prev:
            problem = f"seal {seal.seq} does not follow seal {seal.seq - 1}"
        elif chain_hash(prev, seal.event) != seal.hash:
            problem = f"event {seal.event_id} was changed after it was sealed"
        if problem:
            return VerifyResult(False, checked, seal.seq, seal.event_id, problem)
        prev = seal.hash
        checked += 1
        expected_seq += 1
    orphans = AuditEvent.objects.filter(seal__isnull=True).count() if seal_first else 0
    if orphans:
        return VerifyResult(False, checked, None, None, f"{orphans} events could not be sealed")
    return VerifyResult(True, checked, message=f"{checked} events verified")
