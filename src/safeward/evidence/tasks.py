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
