from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from safeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _attempt(username: str, age: dt.timedelta) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="203.0.113.7",
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=1,
    )
    # The time is set on insert; move it back as if the failure were ``age`` old.
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)
    return attempt


def test_purge_removes_old_failed_signins_and_keeps_recent_ones() -> None:
    old = _attempt("old", dt.timedelta(days=3))
    recent = _attempt("recent", dt.timedelta(minutes=5))
    call_command("purge")
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert AccessAttempt.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action="retention.purge").exists()
