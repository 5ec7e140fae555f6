"""Deleting clips whose short keeping period is over, and recording that it happened."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from safeward.core.audit import audit_record
from safeward.evidence.choices import CustodyAction
from safeward.evidence.models import EvidenceItem
from safeward.evidence.services.custody import custody_append


def purge_expired_items() -> int:
    """Delete the files of expired short-retention clips; the records and chains stay."""
    count = 0
    for item in EvidenceItem.objects.expired(timezone.now()).order_by("pk"):
        with transaction.atomic():
            default_storage.delete(item.file.name)
            item.purged_at = timezone.now()
            item.save(update_fields=["purged_at"])
            custody_append(
                None, item=item, action=CustodyAction.DELETED, details={"reason": "retention"}
            )
            audit_record(None, "evidence.purge", item)
        count += 1
    return count
