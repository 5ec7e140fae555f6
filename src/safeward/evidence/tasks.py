"""Background work of the evidence app."""

from __future__ import annotations

from django_tasks import task

from safeward.evidence.services.retention import purge_expired_items


@task()
def purge_expired_evidence() -> int:
    """Delete clips past their short retention; returns how many."""
    return purge_expired_items()


def _local(moment: object) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")  # type: ignore[arg-type]


@task()
def notify_custodian(target_id: int, token: str) -> str:
    """Send a custodian their one-time upload link by their preferred channel.

    Email and SMS are sent; custodians who chose the app (or a phone call) find the
    request on their "my cameras" page. Returns the channel used ("" when none).
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from safeward.evidence.models import RequestTarget

    target = RequestTarget.objects.select_related("camera", "request").get(pk=target_id)
    camera = target.camera
    contact = camera.contact.strip()
    link = settings.SAFEWARD_BASE_URL.rstrip("/") + reverse("evidence:upload", args=[token])
    with override(settings.LANGUAGE_CODE):
        text = _(
            "The ward police ask for footage from your camera {camera} between {start} and {end}. "
            "You may provide it or decline; declining changes nothing for you. Answer here: {link}"
        ).format(
            camera=camera.custodian_label,
            start=_local(target.request.window_start),
            end=_local(target.request.window_end),
            link=link,
        )
        subject = _("Footage request for your camera")
    if camera.preferred_channel == "email" and "@" in contact:
        send_mail(subject, text, None, [contact])
        return "email"
    if camera.preferred_channel == "sms" and contact:
        from safeward.core.sms import send_sms

        send_sms(contact, text)
        return "sms"
    return ""


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
