"""A bulletin as a CAP 1.2 alert, and the text a recipient reads."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from safeward.bulletins.cap.alert import CapAlert, CapArea, CapInfo
from safeward.bulletins.choices import AudienceKind
from safeward.bulletins.models import Bulletin, BulletinText


def cap_alert(bulletin: Bulletin) -> CapAlert:
    """The CAP document of ``bulletin``. One to groups or cohorts is Private (addressed to
    the issuing unit's own system, never to people); only area bulletins are Public."""
    sender = settings.SAFEWARD_CAP_SENDER
    public = bulletin.is_public
    references = []
    if bulletin.references is not None and bulletin.references.sent_at is not None:
        references.append((sender, bulletin.references.identifier, bulletin.references.sent_at))
    areas = [
        CapArea(
            area_desc=", ".join(str(u) for u in bulletin.area_units.all()) or str(bulletin.unit),
            polygons=[[(p[0], p[1]) for p in bulletin.area_polygon]]
            if bulletin.area_polygon
            else [],
            circles=[(c[0], c[1], c[2]) for c in bulletin.area_circles],
            geocodes=[("VN-UNIT", u.code) for u in bulletin.area_units.all()],
        )
    ]
    infos = [
        CapInfo(
            language={"vi": "vi-VN", "en": "en-US", "ar": "ar"}.get(t.language, t.language),
            category=[bulletin.category],
            event=bulletin.event,
            urgency=bulletin.urgency,
            severity=bulletin.severity,
            certainty=bulletin.certainty,
            headline=t.headline,
            description=t.description,
            instruction=t.instruction,
            sender_name=str(bulletin.unit),
            effective=bulletin.sent_at,
            expires=bulletin.expires_at,
            areas=areas,
        )
        for t in bulletin.texts.all()
    ]
    return CapAlert(
        identifier=bulletin.identifier,
        sender=sender,
        sent=bulletin.sent_at or bulletin.created_at,
        msg_type=bulletin.msg_type,
        scope="Public" if public else "Private",
        addresses=[] if public else [f"{sender}/unit/{bulletin.unit.code}"],
        references=references,
        infos=infos,
    )


def text_for(
    bulletin: Bulletin, language: str, texts: dict[str, BulletinText] | None = None
) -> BulletinText:
    """The bulletin's text in ``language``, else in Vietnamese; ``texts`` when already read."""
    texts = texts if texts is not None else {t.language: t for t in bulletin.texts.all()}
    return texts.get(language) or texts["vi"]


def reason_for(
    bulletin: Bulletin, audience_kind: str, person_unit: object, wording: str = ""
) -> str:
    """Why a recipient receives the bulletin, in words that never name a restricted cohort."""
    if audience_kind == AudienceKind.COHORT:
        return wording
    if audience_kind == AudienceKind.GROUP:
        return _("You receive this as a member of your neighbourhood's self-managed group.")
    return _("You receive this because you subscribed to bulletins for {unit}.").format(
        unit=person_unit
    )


def plain_text(
    bulletin: Bulletin,
    language: str,
    reason: str,
    unsubscribe_url: str = "",
    texts: dict[str, BulletinText] | None = None,
) -> tuple[str, str]:
    """(subject, body) of a message in ``language``."""
    text = text_for(bulletin, language, texts)
    with override(language):
        lines = [text.headline, "", text.description]
        if text.instruction:
            lines += ["", text.instruction]
        lines += ["", f"— {bulletin.unit}", reason]
        if unsubscribe_url:
            lines.append(_("Stop these messages: {url}").format(url=unsubscribe_url))
    return text.headline, "\n".join(lines)
