"""Bringing custodians their one-time links: each attempt's state, as each step happens.

A delivery is queued by the approval (or a resend), sent or failed by the task that
sends the message, opened by the custodian's link page and answered by the answer or
the clip. Nothing is marked ahead of the step that does it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safeward.core.audit import audit_record
from safeward.core.errors import Conflict
from safeward.core.scoping import has_perm_at
from safeward.evidence.choices import DeliveryAnswer, DeliveryState, RequestStatus, Response
from safeward.evidence.models import Delivery, FootageRequest, RequestTarget

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

TOKEN_DAYS = 7
# A custodian is not to be flooded: a failed attempt may be repeated after a short pause,
# one that went out only after a longer one, and no more than a few a day.
RESEND_AFTER_FAILURE = dt.timedelta(minutes=2)
RESEND_AFTER_SENDING = dt.timedelta(minutes=15)
RESENDS_PER_DAY = 5
TOKEN_SALT = "safeward.evidence.delivery"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def delivery_token(delivery: Delivery) -> str:
    """The one-time link's token: derived from the attempt's nonce and the secret key."""
    digest = salted_hmac(TOKEN_SALT, f"{delivery.pk}:{delivery.nonce}", algorithm="sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def delivery_url(delivery: Delivery) -> str:
    path = reverse("evidence:upload", args=[delivery_token(delivery)])
    return str(settings.SAFEWARD_BASE_URL).rstrip("/") + path


def _notify_after_commit(delivery_id: int) -> None:
    from safeward.evidence.tasks import notify_custodian

    transaction.on_commit(lambda: notify_custodian.enqueue(delivery_id))


def delivery_queue(actor: Viewer, target: RequestTarget) -> tuple[Delivery, str]:
    """A new attempt for ``target``: a fresh link (the previous one stops working), the
    message queued for the sending task once the transaction commits. Returns the token."""
    now = timezone.now()
    previous = target.deliveries.order_by("-attempt").first()
    if previous is not None and previous.revoked_at is None:
        previous.revoked_at = now
        previous.save(update_fields=["revoked_at"])
    delivery = Delivery.objects.create(
        target=target,
        attempt=(previous.attempt + 1) if previous else 1,
        channel=target.camera.preferred_channel,
        nonce=secrets.token_hex(16),
        queued_by=actor if getattr(actor, "is_authenticated", False) else None,
        queued_at=now,
    )
    token = delivery_token(delivery)
    target.upload_token_hash = token_hash(token)
    target.upload_token_expires = now + dt.timedelta(days=TOKEN_DAYS)
    target.save(update_fields=["upload_token_hash", "upload_token_expires"])
    _notify_after_commit(delivery.pk)
    return delivery, token


def delivery_current(target: RequestTarget) -> Delivery | None:
    """The attempt whose link still works, if any."""
    return target.deliveries.filter(revoked_at__isnull=True).order_by("-attempt").first()


@transaction.atomic
def delivery_sent(delivery: Delivery, *, channel: str) -> None:
    """The sending task handed the message to its channel."""
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.QUEUED).update(
        state=DeliveryState.SENT, sent_at=now, channel=channel
    )
    RequestTarget.objects.filter(pk=delivery.target_id).update(notified_at=now)
    audit_record(None, "footage_delivery.sent", delivery, changes={"channel": channel})


@transaction.atomic
def delivery_failed(delivery: Delivery, *, failure: str, error: str = "") -> None:
    """The sending task could not send the message; ``failure`` says why."""
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.QUEUED).update(
        state=DeliveryState.FAILED, failed_at=timezone.now(), failure=failure, error=error[:300]
    )
    audit_record(
        None, "footage_delivery.failed", delivery, changes={"failure": failure, "error": error}
    )


def delivery_opened(target: RequestTarget) -> None:
    """The custodian opened the link: the first opening is recorded, later ones are not."""
    delivery = delivery_current(target)
    if delivery is None or delivery.opened_at is not None:
        return
    opened = (DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.FAILED)
    with transaction.atomic():
        count = Delivery.objects.filter(pk=delivery.pk, state__in=opened).update(
            state=DeliveryState.OPENED, opened_at=timezone.now()
        )
        if count:
            audit_record(None, "footage_delivery.opened", delivery)


def delivery_answered(target: RequestTarget, *, answer: str) -> None:
    """The custodian answered (or an officer recorded their answer, or a clip arrived)."""
    delivery = delivery_current(target) or target.deliveries.order_by("-attempt").first()
    if delivery is None:
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.ANSWERED, answered_at=timezone.now(), answer=answer
    )


def may_manage_deliveries(actor: Viewer, request: FootageRequest) -> bool:
    """The requesting officer, and whoever may change the request."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.pk == request.created_by_id:
        return True
    return has_perm_at(actor, "evidence.change_footagerequest", request.unit)


def _check_manage(actor: Viewer, target: RequestTarget) -> None:
    if not may_manage_deliveries(actor, target.request):
        raise PermissionDenied(
            _("Only the requesting officer or who may change the request may do this.")
        )
    if target.request.status != RequestStatus.APPROVED:
        raise Conflict(_("This request is not open for footage."), field="request")
    if target.response != Response.WAITING:
        raise Conflict(_("The custodian has already answered."), field="target")


def _check_pace(target: RequestTarget, now: dt.datetime) -> None:
    last = target.deliveries.order_by("-attempt").first()
    if last is None:
        return
    pause = RESEND_AFTER_FAILURE if last.state == DeliveryState.FAILED else RESEND_AFTER_SENDING
    if now < last.queued_at + pause:
        raise Conflict(
            _("A link was queued at {time}; a new one may be sent from {next}.").format(
                time=date_format(timezone.localtime(last.queued_at), "TIME_FORMAT"),
                next=date_format(timezone.localtime(last.queued_at + pause), "TIME_FORMAT"),
            ),
            code="throttled",
        )
    today = target.deliveries.filter(queued_at__gte=now - dt.timedelta(days=1)).count()
    if today > RESENDS_PER_DAY:
        raise Conflict(
            _(
                "This custodian was sent {count} links in the last 24 hours; wait before another."
            ).format(count=today),
            code="throttled",
        )


@transaction.atomic
def delivery_resend(actor: Viewer, target: RequestTarget) -> Delivery:
    """Send a custodian who has not answered a new link; the old one stops working. Audited."""
    _check_manage(actor, target)
    _check_pace(target, timezone.now())
    delivery, _token = delivery_queue(actor, target)
    audit_record(actor, "footage_delivery.resend", delivery, changes={"attempt": delivery.attempt})
    return delivery


def delivery_link(actor: Viewer, target: RequestTarget) -> str:
    """The custodian's working link, for the officer to pass on; a sensitive read, audited."""
    _check_manage(actor, target)
    delivery = delivery_current(target)
    expired = target.upload_token_expires is None or target.upload_token_expires <= timezone.now()
    if delivery is None or not target.upload_token_hash or expired:
        raise Conflict(_("No link works for this camera: send a new one."), field="target")
    audit_record(actor, "footage_delivery.link_read", delivery, sensitive_read=True)
    return delivery_url(delivery)


ANSWER_OF_RESPONSE = {
    Response.PROVIDED: DeliveryAnswer.PROVIDED,
    Response.DECLINED: DeliveryAnswer.DECLINED,
    Response.NOTHING: DeliveryAnswer.NOTHING,
    Response.OVERWRITTEN: DeliveryAnswer.OVERWRITTEN,
}
