"""Evidence items: receiving a clip (streamed, hashed), opening it, changing its retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import acting_user, require_perm
from safeward.core.uploads import video_type
from safeward.evidence.choices import (
    Acquisition,
    CustodyAction,
    DeliveryAnswer,
    RequestStatus,
    Response,
    RetentionCategory,
)
from safeward.evidence.models import EvidenceItem, RequestTarget
from safeward.evidence.services.custody import custody_append
from safeward.evidence.services.deliveries import delivery_answered

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

CHUNK = 1 << 20


def max_bytes() -> int:
    return int(getattr(settings, "SAFEWARD_EVIDENCE_MAX_BYTES", 4 * 1024**3))


def short_retention() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "SAFEWARD_EVIDENCE_SHORT_DAYS", 30))


def _chunks(upload: Any) -> Iterator[bytes]:
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
        return
    yield from iter(lambda: upload.read(CHUNK), b"")


def _spool(upload: Any) -> tuple[IO[bytes], str, int]:
    """Copy the upload to a temporary file, hashing as it streams; refuse oversize files."""
    digest, size, cap = hashlib.sha256(), 0, max_bytes()
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    for chunk in _chunks(upload):
        size += len(chunk)
        if size > cap:
            spool.close()
            raise DomainError(
                _("The file is larger than the {cap} MB limit.").format(cap=cap // 1024**2),
                field="file",
            )
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    return spool, digest.hexdigest(), size


def _check_times(start: dt.datetime, end: dt.datetime) -> None:
    if start is None or end is None or end < start:
        raise DomainError(_("The clip must end after it starts."), field="recorded_end")


def _check_extraction(actor: Viewer, minutes_reference: str) -> None:
    if actor is None:
        raise DomainError(
            _("Only a signed-in officer can record an on-site extraction."), field="acquisition"
        )
    if not minutes_reference.strip():
        raise DomainError(
            _("An on-site extraction needs the reference of its minutes."),
            field="minutes_reference",
        )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def _window_reason(
    target: RequestTarget, start: dt.datetime, end: dt.datetime, offset: int, reason: str
) -> str | None:
    """None when the clip lies inside the approved window; else the reason to keep it.

    The window is in true time, so the recorder's times are first corrected by its clock
    offset; a clip reaching past either end holds footage nobody approved.
    """
    footage, shift = target.request, dt.timedelta(seconds=offset)
    true_start, true_end = start - shift, end - shift
    if footage.window_start <= true_start and true_end <= footage.window_end:
        return None
    if not reason.strip():
        raise DomainError(
            _(
                "The clip runs from {start} to {end} (corrected time), outside the approved "
                "window {window_start} to {window_end}. Give the reason to keep it."
            ).format(
                start=_local(true_start),
                end=_local(true_end),
                window_start=_local(footage.window_start),
                window_end=_local(footage.window_end),
            ),
            field="reason_outside_window",
            code="outside_window",
        )
    return reason.strip()[:500]


def _store(spool: IO[bytes], digest: str, filename: str) -> str:
    safe = get_valid_filename(os.path.basename(filename) or "clip") or "clip"
    name = timezone.now().strftime("evidence/%Y/%m/") + f"{digest[:16]}-{safe}"
    return default_storage.save(name, File(spool))


@transaction.atomic
def evidence_receive(
    actor: Viewer,
    *,
    upload: Any,
    filename: str,
    content_type: str,
    recorded_start: dt.datetime,
    recorded_end: dt.datetime,
    acquisition: str,
    target: RequestTarget | None = None,
    declared_sha256: str = "",
    clock_offset_s: int | None = None,
    minutes_reference: str = "",
    reason_outside_window: str = "",
) -> EvidenceItem:
    """Stream a clip to storage, hash it, refuse it if the declared hash differs; log custody.

    Nothing is taken from a camera whose custodian declined or withdrew consent. A clip
    reaching outside the approved window is kept only with ``reason_outside_window`` and
    is flagged. The clip is stored byte for byte (chain of custody): no metadata stripping.

    ``content_type`` is what the sender declared; the stored type is sniffed from the bytes.
    ``actor`` is None for a custodian using a one-time link (the link was checked already).
    """
    if acquisition not in Acquisition.values:
        raise DomainError(_("Choose how the clip was acquired."), field="acquisition")
    if acquisition == Acquisition.OFFICER_EXTRACTION:
        _check_extraction(actor, minutes_reference)
    _check_times(recorded_start, recorded_end)
    if target is None:
        raise DomainError(_("A clip belongs to a requested camera."), field="target")
    if target.request.status != RequestStatus.APPROVED:
        raise DomainError(_("This request is not open for footage."), field="target")
    if target.response == Response.DECLINED:
        raise DomainError(
            _("The custodian declined this request; no footage is taken from this camera."),
            field="target",
        )
    if target.response == Response.SKIPPED:
        raise DomainError(
            _("The custodian withdrew consent; no footage is taken from this camera."),
            field="target",
        )
    if actor is not None:
        require_perm(actor, "evidence.add_evidenceitem", target.request.unit)
    spool, digest, size = _spool(upload)
    declared = declared_sha256.strip().lower()
    if declared and declared != digest:
        spool.close()
        raise DomainError(
            _("The file's SHA-256 {actual} does not match the declared {declared}.").format(
                actual=digest, declared=declared
            ),
            field="declared_sha256",
        )
    offset = target.camera.clock_offset_s if clock_offset_s is None else clock_offset_s
    try:
        outside = _window_reason(
            target, recorded_start, recorded_end, offset, reason_outside_window
        )
    except DomainError:
        spool.close()
        raise
    sniffed = video_type(spool.read(16)) or "application/octet-stream"
    spool.seek(0)
    name = _store(spool, digest, filename)
    spool.close()
    given = {
        "filename": filename,
        "content_type": sniffed,
        "recorded_start": recorded_start,
        "recorded_end": recorded_end,
        "acquisition": acquisition,
        "declared_sha256": declared,
        "clock_offset_s": offset,
        "minutes_reference": minutes_reference,
        "reason_outside_window": outside,
    }
    try:
        return _record(actor, target, name, digest, size, given)
    except Exception:
        default_storage.delete(name)
        raise


def _record(
    actor: Viewer, target: RequestTarget, name: str, digest: str, size: int, given: dict[str, Any]
) -> EvidenceItem:
    camera = target.camera
    offset = given["clock_offset_s"]
    shift = dt.timedelta(seconds=offset)
    outside = given["reason_outside_window"]
    item = EvidenceItem.objects.create(
        unit=target.request.unit,
        request=target.request,
        target=target,
        camera=camera,
        file=name,
        original_name=given["filename"][:200],
        sha256=digest,
        size_bytes=size,
        content_type=given["content_type"],
        clock_offset_s=offset,
        recorded_start=given["recorded_start"],
        recorded_end=given["recorded_end"],
        corrected_start=given["recorded_start"] - shift,
        corrected_end=given["recorded_end"] - shift,
        acquisition=given["acquisition"],
        minutes_reference=given["minutes_reference"],
        outside_window=outside is not None,
        reason_outside_window=outside or "",
        retention=RetentionCategory.CASE,
        received_by=acting_user(actor),
    )
    method = {"method": item.acquisition, "minutes": item.minutes_reference}
    custody_append(actor, item=item, action=CustodyAction.ACQUIRED, details=method)
    uploaded: dict[str, Any] = {"size": size, "sha256": digest}
    if outside is not None:
        uploaded |= {"outside_window": True, "reason": outside}
    custody_append(actor, item=item, action=CustodyAction.UPLOADED, details=uploaded)
    if given["declared_sha256"]:
        custody_append(
            actor, item=item, action=CustodyAction.HASH_VERIFIED, details={"declared": digest}
        )
    # The custodian's link is spent once a clip arrives.
    target.response, target.responded_at = Response.PROVIDED, timezone.now()
    target.upload_token_hash = ""
    target.save(update_fields=["response", "responded_at", "upload_token_hash"])
    delivery_answered(target, answer=DeliveryAnswer.UPLOADED)
    changes: dict[str, Any] = {"sha256": digest, "size": size}
    if outside is not None:
        changes["outside_window"] = True
    audit_record(actor, "evidence.receive", item, reason=outside or "", changes=changes)
    return item


@transaction.atomic
def evidence_open(actor: Viewer, item: EvidenceItem, *, action: str = CustodyAction.VIEWED) -> Any:
    """Log a view or download in the custody chain and the audit trail; return the file."""
    require_perm(actor, "evidence.view_evidenceitem", item.unit)
    if item.purged_at is not None:
        raise DomainError(_("This clip was deleted at the end of its retention."), field="file")
    if action not in (CustodyAction.VIEWED, CustodyAction.DOWNLOADED, CustodyAction.EXPORTED):
        raise DomainError(_("Unknown access."), field="action")
    custody_append(actor, item=item, action=action)
    audit_record(actor, f"evidence.{action}", item, sensitive_read=True)
    return default_storage.open(item.file.name, "rb")


@transaction.atomic
def evidence_set_retention(
    actor: Viewer, item: EvidenceItem, *, retention: str, reason: str
) -> EvidenceItem:
    """Move a clip between short keeping, case and legal hold; logged in custody and audit."""
    require_perm(actor, "evidence.change_evidenceitem", item.unit)
    if item.purged_at is not None:
        raise DomainError(
            _("This clip was deleted at the end of its retention."), field="retention"
        )
    if retention not in RetentionCategory.values:
        raise DomainError(_("Choose a retention category."), field="retention")
    if retention == item.retention:
        raise Conflict(
            _("The clip is already kept as “{category}”.").format(
                category=item.get_retention_display()
            ),
            field="retention",
        )
    if not reason.strip():
        raise DomainError(_("Say why the retention changes."), field="reason")
    before = item.retention
    item.retention = retention
    item.retain_until = (
        timezone.now() + short_retention() if retention == RetentionCategory.SHORT else None
    )
    item.save(update_fields=["retention", "retain_until"])
    custody_append(
        actor,
        item=item,
        action=CustodyAction.RETENTION_CHANGED,
        details={"from": before, "to": retention},
    )
    audit_record(actor, "evidence.retention", item, reason=reason, changes={"retention": retention})
    return item
