"""Scoped reads over footage requests and evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from safeward.core.querysets import ScopedQuerySet

APPROVE_PERM = "evidence.approve_footagerequest"


class FootageRequestQuerySet(ScopedQuerySet):
    def awaiting_approval_by(self, user: Any) -> FootageRequestQuerySet:
        """Pending requests ``user`` may still decide on: in a unit where they may approve,
        made by someone else, and not yet decided by them."""
        return (
            self.restrict(user, "approve")
            .filter(status="pending")
            .exclude(created_by=user)
            .exclude(approvals__approver=user)
        )

    def undelivered(self) -> FootageRequestQuerySet:
        """Requests sent to the custodians from which no clip has come in yet."""
        from safeward.evidence.models import EvidenceItem  # the models import this module

        received = EvidenceItem.objects.filter(request=OuterRef("pk"))
        return self.filter(status="approved").filter(~Exists(received))


class TargetQuerySet(ScopedQuerySet):
    """A request's cameras, scoped through the request's unit."""


class EvidenceQuerySet(ScopedQuerySet):
    def present(self) -> EvidenceQuerySet:
        return self.filter(purged_at__isnull=True)

    def expired(self, now: Any) -> EvidenceQuerySet:
        return self.present().filter(Q(retention="short") & Q(retain_until__lt=now))
