"""Scoped reads over footage requests and evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeward.core.querysets import ScopedQuerySet

APPROVE_PERM = "evidence.approve_footagerequest"


class TargetQuerySet(ScopedQuerySet):
    def for_custodian(self, user: Any) -> TargetQuerySet:
        """Every request that touched a camera the user keeps."""
        return self.filter(camera__custodian_user=user)


class EvidenceQuerySet(ScopedQuerySet):
    def present(self) -> EvidenceQuerySet:
        return self.filter(purged_at__isnull=True)

    def expired(self, now: Any) -> EvidenceQuerySet:
        return self.present().filter(Q(retention="short") & Q(retain_until__lt=now))
