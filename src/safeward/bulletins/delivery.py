"""Fan-out and sending: deliveries created once, claimed, sent and completed exactly once.

* :func:`fan_out_bulletin` walks the recipients in chunks and inserts one delivery per
  person and channel with a unique key; run again (its worker was killed), it inserts
  only what is missing.
* :func:`send_due` claims due deliveries with one conditional ``UPDATE`` (queued → sending,
  stamped with the claimer and a lease), sends them, and completes only the rows it still
  holds. A row whose lease ran out (its worker died) is claimed again and sent with the
  same key, which its receiver takes as the same message.
* Gateway errors put the row back with exponential backoff; after ``MAX_ATTEMPTS`` it fails.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeward.bulletins.cap.alert import to_xml
from safeward.bulletins.channels import GatewayError, Message, Senders, Undeliverable
from safeward.bulletins.choices import (
    AudienceKind,
    BulletinStatus,
    Channel,
    DeliveryState,
    MsgType,
    Severity,
)
from safeward.bulletins.documents import cap_alert, plain_text, reason_for
from safeward.bulletins.models import (
    Bulletin,
    BulletinAudience,
    CohortMember,
    Delivery,
    Subscription,
    WebhookEndpoint,
)
from safeward.bulletins.services import recipients
from safeward.core.workers import new_worker_id
from safeward.people.models import ContactPoint, Person

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BATCH = 200
COMPLETE_EVERY = 25
_CHANNEL = {"sms": Channel.SMS, "email": Channel.EMAIL, "zalo": Channel.ZALO, "app": Channel.APP}


def fan_out_bulletin(bulletin_id: int, chunk: int = 2000) -> int:
    """Create the deliveries of a sent bulletin; returns how many were offered (those
    already there from an earlier, interrupted pass are skipped by their key)."""
    bulletin = Bulletin.objects.select_related("unit").get(pk=bulletin_id)
    if bulletin.status != BulletinStatus.SENT or bulletin.fanned_out_at is not None:
        return 0
    if bulletin.msg_type == MsgType.CANCEL and bulletin.references_id:
        Delivery.objects.filter(
            bulletin_id=bulletin.references_id, state=DeliveryState.QUEUED
        ).update(state=DeliveryState.FAILED, error="cancelled")
    extreme = bulletin.severity == Severity.EXTREME
    now = timezone.now()
    offered = 0
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal offered
        if not pending:
            return
        ids = [pk for pk, _kind in pending]
        kinds = dict(pending)
        points: dict[int, list[str]] = defaultdict(list)
        for person_id, kind in ContactPoint.objects.filter(
            person_id__in=ids, withdrawn_at__isnull=True
        ).values_list("person_id", "kind"):
            points[person_id].append(kind)
        subs = {
            s.person_id: s
            for s in Subscription.objects.filter(person_id__in=ids).only(
                "person_id", "channels", "quiet_from", "quiet_until"
            )
        }
        rows = []
        for person_id in ids:
            sub = subs.get(person_id)
            channels = [_CHANNEL[k] for k in points.get(person_id, [])]
            if kinds[person_id] == AudienceKind.UNIT and sub is not None and sub.channels:
                channels = [c for c in channels if c in sub.channels]
            not_before = now if extreme or sub is None else _after_quiet(sub, now)
            for channel in channels:
                rows.append(
                    Delivery(
                        bulletin_id=bulletin.pk,
                        person_id=person_id,
                        channel=channel,
                        audience_kind=kinds[person_id],
                        key=f"{bulletin.identifier}:{person_id}:{channel}",
                        not_before=not_before,
                    )
                )
        # A key already there (the pass ran before and its worker died) is skipped.
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        Bulletin.objects.filter(pk=bulletin.pk).update(fanning_at=timezone.now())
        offered += len(rows)
        pending.clear()

    for item in recipients(bulletin, chunk=chunk):
        pending.append(item)
        if len(pending) >= chunk:
            flush()
    flush()
    if bulletin.is_public:
        endpoints = [
            e
            for e in WebhookEndpoint.objects.filter(active=True).select_related("unit")
            if bulletin.unit.path.startswith(e.unit.path)
        ]
        Delivery.objects.bulk_create(
            [
                Delivery(
                    bulletin_id=bulletin.pk,
                    endpoint=e,
                    channel=Channel.WEBHOOK,
                    audience_kind=AudienceKind.UNIT,
                    key=f"{bulletin.identifier}:hook{e.pk}",
                )
                for e in endpoints
            ],
            ignore_conflicts=True,
        )
    Bulletin.objects.filter(pk=bulletin.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    return offered


def resume_fan_outs() -> list[int]:
    """Finish the fan-outs whose worker died: sent, not fanned out, silent for a lease."""
    quiet = timezone.now() - dt.timedelta(seconds=settings.SAFEWARD_DELIVERY_LEASE_SECONDS)
    stalled = Bulletin.objects.filter(
        status=BulletinStatus.SENT, fanned_out_at__isnull=True, sent_at__lt=quiet
    ).filter(Q(fanning_at__isnull=True) | Q(fanning_at__lt=quiet))
    resumed = []
    for pk in stalled.values_list("pk", flat=True):
        # Claimed by moving its sign of life to now: a second tidy leaves it alone.
        if (
            Bulletin.objects.filter(pk=pk, fanned_out_at__isnull=True)
            .filter(Q(fanning_at__isnull=True) | Q(fanning_at__lt=quiet))
            .update(fanning_at=timezone.now())
        ):
            log.warning("resuming the fan-out of bulletin %s", pk)
            fan_out_bulletin(pk)
            resumed.append(pk)
    return resumed


def _after_quiet(sub: Subscription, now: dt.datetime) -> dt.datetime:
    """``now``, or the end of the subscriber's quiet hours when ``now`` falls in them."""
    if sub.quiet_from is None or sub.quiet_until is None:
        return now
    local = timezone.localtime(now)
    t = local.time()
    start, end = sub.quiet_from, sub.quiet_until
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return now
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), local.tzinfo)


class RateLimiter:
    """At most ``rate`` messages a second per channel from this worker (0 = unlimited)."""

    def __init__(self, rates: dict[str, float]) -> None:
        self.rates = rates
        self.next_at: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        rate = self.rates.get(channel, 0)
        if not rate:
            return
        now = time.monotonic()
        at = max(now, self.next_at.get(channel, now))
        if at > now:
            time.sleep(at - now)
        self.next_at[channel] = at + 1.0 / rate


def claim(worker: str, *, bulletin_id: int | None = None, limit: int = BATCH) -> list[Delivery]:
    """Move up to ``limit`` due deliveries to sending for ``worker``; returns them.

    One ``UPDATE … WHERE state='queued'``: two workers never claim the same row (the
    second finds it no longer queued). Rows left sending past their lease are due again.
    """
    now = timezone.now()
    due = Q(state=DeliveryState.QUEUED, not_before__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_until__lt=now
    )
    candidates = Delivery.objects.filter(due)
    if bulletin_id is not None:
        candidates = candidates.filter(bulletin_id=bulletin_id)
    ids = list(candidates.order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    with transaction.atomic():
        Delivery.objects.filter(due, id__in=ids).update(
            state=DeliveryState.SENDING,
            claimed_by=worker,
            claimed_until=now + dt.timedelta(seconds=settings.SAFEWARD_DELIVERY_LEASE_SECONDS),
        )
    return list(
        Delivery.objects.filter(id__in=ids, claimed_by=worker, state=DeliveryState.SENDING)
        .select_related("bulletin__unit", "person__unit", "endpoint")
        .order_by("id")
    )


def send_due(
    *, bulletin_id: int | None = None, max_seconds: float = 300.0, worker: str = ""
) -> int:
    """Send due deliveries until none is left or ``max_seconds`` passed; returns how many."""
    worker = worker or new_worker_id()
    limiter = RateLimiter(settings.SAFEWARD_BULLETIN_RATES)
    senders = Senders()
    started = time.monotonic()
    done = 0
    caches: dict[str, Any] = {"cap": {}, "texts": {}, "points": {}, "wording": {}, "subs": {}}
    days: set[dt.date] = set()
    try:
        while time.monotonic() - started < max_seconds:
            batch = claim(worker, bulletin_id=bulletin_id)
            if not batch:
                break
            _addresses(batch, caches)
            days.update(timezone.localdate(d.bulletin.sent_at) for d in batch if d.bulletin.sent_at)
            sent: list[int] = []
            delivered: list[int] = []
            for n, delivery in enumerate(batch, 1):
                outcome = _send_one(delivery, senders, limiter, caches)
                if outcome == "delivered":
                    delivered.append(delivery.pk)
                elif outcome == "sent":
                    sent.append(delivery.pk)
                # Recorded every few messages: a worker killed now re-sends at most these.
                if n % COMPLETE_EVERY == 0 or n == len(batch):
                    done += _complete(worker, sent, delivered)
                    sent, delivered = [], []
    finally:
        senders.close()
        if done:
            # One event for the whole pass: the figures of the days these bulletins were
            # sent on are refreshed from it.
            _record_pass(done, days)
    return done


def _record_pass(count: int, days: set[dt.date]) -> None:
    from safeward.core.audit import audit_record_bulk

    audit_record_bulk(
        None,
        "delivery.send",
        Delivery,
        count=count,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
    )


def _complete(worker: str, sent: list[int], delivered: list[int]) -> int:
    if not sent and not delivered:
        return 0
    now = timezone.now()
    mine = Delivery.objects.filter(claimed_by=worker, state=DeliveryState.SENDING)
    with transaction.atomic():
        if sent:
            mine.filter(id__in=sent).update(state=DeliveryState.SENT, sent_at=now)
        if delivered:
            mine.filter(id__in=delivered).update(state=DeliveryState.DELIVERED, sent_at=now)
    return len(sent) + len(delivered)


def _addresses(batch: list[Delivery], caches: dict[str, Any]) -> None:
    """Read the live contact points and subscriptions of a batch's people at once."""
    ids = {d.person_id for d in batch if d.person_id}
    points = caches["points"]
    points.clear()
    for person_id, kind, value, language in ContactPoint.objects.filter(
        person_id__in=ids, withdrawn_at__isnull=True
    ).values_list("person_id", "kind", "value", "language"):
        points[(person_id, _CHANNEL[kind])] = (value, language)
    # A cohort member reads their cohort's neutral wording (the first, if in several).
    wording: dict[tuple[int, int], str] = {}
    cohort_rows = [d for d in batch if d.audience_kind == AudienceKind.COHORT]
    for bulletin_id in {d.bulletin_id for d in cohort_rows}:
        cohorts = BulletinAudience.objects.filter(
            bulletin_id=bulletin_id, kind=AudienceKind.COHORT
        ).values("cohort_id")
        for person_id, text in (
            CohortMember.objects.filter(
                cohort_id__in=cohorts,
                removed_on__isnull=True,
                person_id__in={d.person_id for d in cohort_rows if d.bulletin_id == bulletin_id},
            )
            .order_by("-cohort_id")
            .values_list("person_id", "cohort__neutral_wording")
        ):
            wording[(bulletin_id, person_id)] = text
    caches["wording"] = wording
    caches["subs"] = dict(
        Subscription.objects.filter(person_id__in=ids, unsubscribed_at__isnull=True).values_list(
            "person_id", "token"
        )
    )


def _fail(delivery: Delivery, error: str, *, retry: bool) -> str:
    attempts = delivery.attempts + 1
    again = retry and attempts < MAX_ATTEMPTS
    delay = min(3600, 30 * 2 ** (attempts - 1))
    Delivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
        state=DeliveryState.QUEUED if again else DeliveryState.FAILED,
        attempts=attempts,
        error=error[:300],
        not_before=timezone.now() + dt.timedelta(seconds=delay),
        claimed_until=None,
    )
    return "retry" if again else "failed"


def _send_one(
    delivery: Delivery, senders: Senders, limiter: RateLimiter, caches: dict[str, Any]
) -> str:
    bulletin = delivery.bulletin
    if bulletin.expired:
        return _fail(delivery, "expired", retry=False)
    if delivery.channel == Channel.WEBHOOK:
        endpoint = delivery.endpoint
        if endpoint is None or not endpoint.active:
            return _fail(delivery, "endpoint removed", retry=False)
        xml = caches["cap"].get(bulletin.pk)
        if xml is None:
            xml = caches["cap"][bulletin.pk] = to_xml(cap_alert(bulletin))
        message = Message(
            delivery.key,
            delivery.channel,
            endpoint.url,
            "vi",
            "",
            "",
            cap_xml=xml,
            secret=endpoint.secret,
        )
    else:
        point = caches["points"].get((delivery.person_id, delivery.channel))
        if point is None:
            return _fail(delivery, "consent withdrawn", retry=False)
        address, language = point
        person: Person = delivery.person  # type: ignore[assignment]
        token = caches["subs"].get(person.pk)
        unsubscribe = (
            settings.SAFEWARD_BASE_URL.rstrip("/") + reverse("bulletins:unsubscribe", args=[token])
            if token and delivery.audience_kind == AudienceKind.UNIT
            else ""
        )
        texts = caches["texts"].get(bulletin.pk)
        if texts is None:
            texts = caches["texts"][bulletin.pk] = {t.language: t for t in bulletin.texts.all()}
        reason = reason_for(
            bulletin,
            delivery.audience_kind,
            person.unit,
            caches["wording"].get((bulletin.pk, person.pk), ""),
        )
        subject, text = plain_text(bulletin, language, reason, unsubscribe, texts)
        message = Message(
            delivery.key,
            delivery.channel,
            address,
            language,
            subject,
            text,
            unsubscribe_url=unsubscribe,
        )
    limiter.wait(delivery.channel)
    try:
        confirmed = senders.send(message)
    except GatewayError as exc:
        return _fail(delivery, str(exc), retry=True)
    except Undeliverable as exc:
        return _fail(delivery, str(exc), retry=False)
    return "delivered" if confirmed else "sent"
