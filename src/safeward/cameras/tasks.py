"""Background work for cameras: sending custodians their invitation links."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from safeward.cameras.choices import ContactChannel
from safeward.cameras.models import CustodianInvite
from safeward.core.sms import send_sms


@task()
def send_custodian_invite(invite_id: int, token: str) -> str:
    """Send the invitation link by SMS or email; returns the channel used."""
    invite = CustodianInvite.objects.select_related("camera").get(pk=invite_id)
    link = settings.SAFEWARD_BASE_URL.rstrip("/") + reverse(
        "cameras:custodian_accept", args=[token]
    )
    with override(settings.LANGUAGE_CODE):
        text = _(
            "The ward police invite you to follow your camera {camera} in SafeWard: every "
            "request for its footage and every use of it. Open your account here: {link}"
        ).format(camera=invite.camera.custodian_label, link=link)
        if invite.channel == ContactChannel.EMAIL:
            send_mail(_("Your camera in SafeWard"), text, None, [invite.contact])
        else:
            send_sms(invite.contact, text)
    CustodianInvite.objects.filter(pk=invite.pk).update(sent_at=timezone.now())
    return str(invite.channel)
