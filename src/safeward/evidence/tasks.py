"""Background work of the evidence app."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from safeward.evidence.services.retention import purge_expired_items


@task()
def purge_expired_evidence() -> int:
    """Delete clips past their short retention; returns how many."""
    return purge_expired_items()


def _local(moment: object) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]


class NotSent(Exception):
    """The message cannot go out; ``failure`` is a :class:`DeliveryFailure` value."""

    def __init__(self, failure: str) -> None:
        super().__init__(failure)
        self.failure = failure


def _deliver(camera: Any, subject: str, text: str) -> str:
    """Hand the message to the custodian's channel; returns the channel or raises NotSent."""
    from django.conf import settings
    from django.core.mail import send_mail

    from safeward.core.sms import send_sms
    from safeward.evidence.choices import DeliveryFailure

    contact = camera.contact.strip()
    if camera.preferred_channel not in ("email", "sms"):
        raise NotSent(DeliveryFailure.NO_CHANNEL)
    if camera.preferred_channel == "email":
        if "@" not in contact:
            raise NotSent(DeliveryFailure.NO_CONTACT)
        send_mail(subject, text, None, [contact])
        return "email"
    if not contact:
        raise NotSent(DeliveryFailure.NO_CONTACT)
    if not settings.SAFEWARD_SMS_GATEWAY_URL:
        raise NotSent(DeliveryFailure.NO_GATEWAY)
    send_sms(contact, text)
    return "sms"


@task()
def notify_custodian(delivery_id: int) -> str:
    """Send a custodian their one-time link by email or SMS and record what happened.

    The delivery is marked sent once the channel took the message, failed with the
    reason otherwise (no contact, a channel that carries no message, an error). An
    attempt replaced before it went out is not sent. Returns the channel used ("" if none).
    """
    from django.conf import settings
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from safeward.evidence.choices import DeliveryFailure, DeliveryState
    from safeward.evidence.models import Delivery
    from safeward.evidence.services.deliveries import delivery_failed, delivery_sent, delivery_url

    delivery = Delivery.objects.select_related("target__camera", "target__request__unit").get(
        pk=delivery_id
    )
    if delivery.state != DeliveryState.QUEUED:
        return ""
    if delivery.revoked_at is not None:
        delivery_failed(delivery, failure=DeliveryFailure.REPLACED)
        return ""
    target = delivery.target
    with override(settings.LANGUAGE_CODE):
        text = _(
            "The ward police ask for footage from your camera {camera} between {start} and {end}. "
            "You may provide it or decline; declining changes nothing for you. Answer here: {link}"
        ).format(
            camera=target.camera.custodian_label,
            start=_local(target.request.window_start),
            end=_local(target.request.window_end),
            link=delivery_url(delivery),
        )
        subject = _("Footage request for your camera")
    try:
        channel = _deliver(target.camera, subject, text)
    except NotSent as exc:
        delivery_failed(delivery, failure=exc.failure)
        return ""
    except Exception as exc:  # any failure of the channel is recorded as such
        delivery_failed(
            delivery, failure=DeliveryFailure.ERROR, error=f"{type(exc).__name__}: {exc}"
        )
        return ""
    delivery_sent(delivery, channel=channel)
    return channel


@task()
def notify_approvers(request_id: int) -> int:
    """Email each person who may approve a new footage request that it waits for them.

    The request's purpose stays on its page, behind sign-in; the email names the report,
    the unit and the time window. Returns how many were told.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from safeward.evidence.choices import RequestStatus
    from safeward.evidence.models import FootageRequest
    from safeward.evidence.services import request_approvers

    request = (
        FootageRequest.objects.select_related("unit", "report", "created_by")
        .filter(pk=request_id, status=RequestStatus.PENDING)
        .first()
    )
    if request is None:
        return 0
    link = settings.SAFEWARD_BASE_URL.rstrip("/") + reverse("evidence:request", args=[request.pk])
    with override(settings.LANGUAGE_CODE):
        subject = _("Footage request #{id} awaits your approval").format(id=request.pk)
        body = _(
            "{officer} asks for camera footage about report {code} in {unit}, "
            "between {start} and {end}. Nothing reaches a custodian before it is approved. "
            "Approve or reject it here: {link}"
        ).format(
            officer=request.created_by.get_full_name() or request.created_by.username,
            code=request.report.tracking_code,
            unit=request.unit.name,
            start=_local(request.window_start),
            end=_local(request.window_end),
            link=link,
        )
    told = 0
    for approver in request_approvers(request):
        if approver.email:
            send_mail(subject, body, None, [approver.email])
            told += 1
    return told
