"""Scoped reads over footage requests and evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeward.core.querysets import ScopedQuerySet

APPROVE_PERM = "evidence.approve_footagerequest"


class TargetQuerySet(ScopedQuerySet):
    """A request's cameras, scoped through the request's unit."""


class EvidenceQuerySet(ScopedQuerySet):
    def present(self) -> EvidenceQuerySet:
        return self.filter(purged_at__isnull=True)

    def expired(self, now: Any) -> EvidenceQuerySet:
        return self.present().filter(Q(retention="short") & Q(retain_until__lt=now))
