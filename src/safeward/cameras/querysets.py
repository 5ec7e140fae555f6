"""Chainable reads over cameras and their child rows, and the way other apps read cameras."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safeward.cameras.choices import REQUESTABLE, CameraStatus
from safeward.core.querysets import ScopedQuerySet


class CameraQuerySet(ScopedQuerySet):
    def in_unit(self, unit: Any) -> CameraQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def working(self) -> CameraQuerySet:
        return self.filter(status=CameraStatus.WORKING)

    def with_active_consent(self) -> CameraQuerySet:
        return self.filter(consent_active=True)

    def requestable(self) -> CameraQuerySet:
        """Working cameras whose sharing mode and active consent allow a footage request."""
        return self.working().filter(sharing_mode__in=REQUESTABLE).with_active_consent()

    def needing_attention(self, days: int = 90, today: dt.date | None = None) -> CameraQuerySet:
        """Broken cameras and working ones not verified in ``days`` days."""
        cutoff = (today or timezone.localdate()) - dt.timedelta(days=days)
        stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
        return self.filter(Q(status=CameraStatus.BROKEN) | (Q(status=CameraStatus.WORKING) & stale))


class LedgerQuerySet(ScopedQuerySet):
    def counted(self) -> LedgerQuerySet:
        """Entries that count towards totals and balances (not voided)."""
        return self.filter(voided_at__isnull=True)


def all_cameras() -> CameraQuerySet:
    """Every camera, for other apps to chain reads on (``all_cameras().restrict(user)``)."""
    from safeward.cameras.models import Camera  # the models import this module

    cameras: CameraQuerySet = Camera.objects.all()
    return cameras
