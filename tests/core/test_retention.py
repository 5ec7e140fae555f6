from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeward.accounts.models import LoginAttempt
from safeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_purge_removes_old_failed_signins_and_keeps_recent_ones() -> None:
    old = LoginAttempt.objects.create(username="x", at=timezone.now() - dt.timedelta(days=3))
    recent = LoginAttempt.objects.create(username="x")
    call_command("purge")
    assert not LoginAttempt.objects.filter(pk=old.pk).exists()
    assert LoginAttempt.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action="retention.purge").exists()
