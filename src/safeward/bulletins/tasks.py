"""Background tasks of bulletins: the fan-out of a sent bulletin, and sending what is due."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from safeward.bulletins.delivery import fan_out_bulletin, resume_fan_outs, send_due


@task()
def fan_out(bulletin_id: int) -> int:
    """Create the bulletin's deliveries, then start the senders; returns deliveries offered."""
    offered = fan_out_bulletin(bulletin_id)
    for _ in range(max(1, settings.SAFEWARD_BULLETIN_SENDERS)):
        send_bulletin.enqueue(bulletin_id)
    return offered


@task()
def send_bulletin(bulletin_id: int) -> int:
    """Send the due deliveries of one bulletin; several of these run side by side."""
    return send_due(bulletin_id=bulletin_id)


@task()
def send_due_deliveries() -> int:
    """Every 30 s: fan-outs whose worker died, retries whose backoff ended, quiet hours
    that ended, deliveries whose sender died (their lease ran out)."""
    resume_fan_outs()
    return send_due(max_seconds=60)
