from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from safeward.core.errors import DomainError
from safeward.evidence.minutes import minutes_pdf
from safeward.evidence.models import CustodyEvent, EvidenceItem, FootageRequest
from safeward.evidence.services import items
from safeward.evidence.services.custody import evidence_verify
from safeward.evidence.services.retention import purge_expired_items

pytestmark = pytest.mark.django_db

CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


def _receive(actor: Any, request: FootageRequest, **kw: Any) -> EvidenceItem:
    start = request.incident_at - dt.timedelta(minutes=5)
    args: dict[str, Any] = {
        "upload": io.BytesIO(CLIP),
        "filename": "cam 1 clip.mp4",
        "content_type": "video/mp4",
        "recorded_start": start,
        "recorded_end": start + dt.timedelta(minutes=10),
        "acquisition": "custodian_upload",
        "target": request.targets.get(),
    }
    args.update(kw)
    return items.evidence_receive(actor, **args)


def test_clip_is_hashed_stored_and_logged(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(None, footage_request, declared_sha256=hashlib.sha256(CLIP).hexdigest())
    assert item.sha256 == hashlib.sha256(CLIP).hexdigest() and item.size_bytes == len(CLIP)
    assert default_storage.open(item.file.name).read() == CLIP
    assert item.corrected_start == item.recorded_start - dt.timedelta(seconds=90)
    actions = list(item.custody.values_list("action", flat=True))
    assert actions == ["acquired", "uploaded", "hash_verified"]
    assert item.target.response == "provided"


def test_declared_hash_mismatch_is_refused_and_nothing_stored(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    with pytest.raises(DomainError) as err:
        _receive(None, footage_request, declared_sha256="0" * 64)
    assert err.value.field == "declared_sha256"
    assert EvidenceItem.objects.count() == 0


def test_oversize_clip_is_refused(
    settings: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    settings.SAFEWARD_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(DomainError) as err:
        _receive(None, footage_request)
    assert err.value.field == "file"


def test_clip_for_unapproved_request_is_refused(footage_request: FootageRequest) -> None:
    with pytest.raises(DomainError):
        _receive(None, footage_request)


def test_viewing_appends_to_the_chain_and_verify_passes(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(None, footage_request)
    with items.evidence_open(personas["ward_officer"], item) as handle:
        assert handle.read() == CLIP
    assert item.custody.last().action == "viewed"
    result = evidence_verify()
    assert result.ok and result.events == 3
    out = io.StringIO()
    call_command("evidence", "verify", stdout=out)
    assert "evidence OK" in out.getvalue()


def test_verify_names_a_tampered_chain_and_file(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(None, footage_request)
    CustodyEvent.objects.filter(item=item, seq=1).update(details={"method": "forged"})
    with default_storage.open(item.file.name, "wb") as handle:
        handle.write(b"changed")
    result = evidence_verify()
    assert any("chain broken at event 1" in p for p in result.problems)
    with pytest.raises(CommandError):
        call_command("evidence", "verify")


def test_purge_deletes_expired_short_clips_and_records_it(
    personas: dict[str, Any], footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    kept = _receive(None, footage_request)
    item = _receive(None, footage_request)
    items.evidence_set_retention(
        personas["ward_officer"], item, retention="short", reason="Vụ việc đã đóng"
    )
    EvidenceItem.objects.filter(pk=item.pk).update(retain_until=timezone.now() - dt.timedelta(1))
    assert purge_expired_items() == 1
    item.refresh_from_db()
    assert item.purged_at is not None and not default_storage.exists(item.file.name)
    assert item.custody.last().action == "deleted"
    assert default_storage.exists(kept.file.name)
    assert evidence_verify().ok


def test_minutes_pdf_renders_vietnamese(
    tmp_path: Any, footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    item = _receive(None, footage_request, minutes_reference="BB-01/2026")
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(minutes_pdf(item))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BIÊN BẢN TRÍCH XUẤT DỮ LIỆU CAMERA" in text
    assert item.sha256 in text


def test_link_is_spent_once_the_clip_arrives(
    footage_request: FootageRequest, approved: dict[int, str]
) -> None:
    from safeward.evidence.services import target_for_token

    [token] = approved.values()
    _receive(None, footage_request)
    assert target_for_token(token) is None
