"""The per-item custody chain: append, and verify files and links."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.utils import timezone

from safeward.core.services import acting_user
from safeward.evidence.choices import CustodyAction
from safeward.evidence.models import CustodyEvent, EvidenceItem

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

GENESIS = "0" * 64


def _canonical(event: CustodyEvent) -> bytes:
    body = {
        "item": event.item_id,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "at": event.at.isoformat(),
        "details": event.details,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: CustodyEvent) -> str:
    return hashlib.sha256(event.prev_hash.encode() + _canonical(event)).hexdigest()


def custody_append(
    actor: Viewer, *, item: EvidenceItem, action: str, details: dict[str, Any] | None = None
) -> CustodyEvent:
    """Append one event to the item's chain; the item row is locked so links never fork."""
    EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
    last = CustodyEvent.objects.filter(item=item).order_by("-seq").first()
    user = acting_user(actor)
    event = CustodyEvent(
        item=item,
        seq=(last.seq + 1) if last else 1,
        action=action,
        actor=user,
        actor_label=user.get_username() if user else "",
        at=timezone.now().replace(microsecond=0),
        details=details or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    event.save()
    return event


def file_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class VerifyResult:
    items: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_item(item: EvidenceItem, result: VerifyResult) -> None:
    """Check the item's chain link by link, then re-hash its file (if it is still kept)
    against the hash its custody chain recorded on upload, not only the item's own field."""
    prev, uploaded = GENESIS, None
    for seq, event in enumerate(item.custody.order_by("seq"), start=1):
        result.events += 1
        if event.seq != seq or event.prev_hash != prev or event_hash(event) != event.hash:
            result.problems.append(f"item {item.pk}: custody chain broken at event {event.seq}")
            return
        prev = event.hash
        if event.action == CustodyAction.UPLOADED and isinstance(event.details, dict):
            uploaded = event.details.get("sha256")
    if uploaded is None:
        result.problems.append(f"item {item.pk}: no custody record of its upload")
        return
    if item.sha256 != uploaded:
        result.problems.append(f"item {item.pk}: recorded hash differs from its custody record")
        return
    if item.purged_at is None:
        if not default_storage.exists(item.file.name):
            result.problems.append(f"item {item.pk}: file missing")
        elif file_sha256(item.file.name) != uploaded:
            result.problems.append(f"item {item.pk}: file hash does not match")


def evidence_verify() -> VerifyResult:
    """Re-hash every kept file and check every custody chain."""
    result = VerifyResult()
    for item in EvidenceItem.objects.order_by("pk").iterator():
        result.items += 1
        verify_item(item, result)
    return result
