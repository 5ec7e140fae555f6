"""Writing, approving and sending bulletins; cohorts and contact points; answers.

Every write checks the actor's permission over the unit, validates before it writes and
audits what it changed. Restricted cohorts are read only through :func:`cohort_members`,
which audits the listing as a sensitive read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from safeward.bulletins.choices import (
    Answer,
    AudienceKind,
    BulletinStatus,
    Category,
    Certainty,
    Channel,
    CohortKind,
    DeliveryState,
    MsgType,
    Severity,
    Urgency,
)
from safeward.bulletins.models import (
    APPROVE,
    VIEW_RESTRICTED,
    Bulletin,
    BulletinAudience,
    BulletinText,
    Cohort,
    CohortMember,
    Delivery,
    Subscription,
    WebhookEndpoint,
)
from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.models import AuditEvent
from safeward.core.scoping import has_perm_at
from safeward.core.services import require_perm, signed_in
from safeward.people.models import ConsentMethod, ContactKind, ContactPoint, Person

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer
    from safeward.geo.models import AdminUnit

LANGUAGES = ("vi", "en", "ar")
# Words that tell a recipient why they are in a cohort; a neutral wording holds none.
REVEALING = (
    "ma túy",
    "ma tuý",
    "cai nghiện",
    "nghiện",
    "nguy cơ",
    "tiền án",
    "drug",
    "rehab",
    "addict",
    "high-risk",
    "high risk",
    "offender",
    "مخدر",
    "إدمان",
    "تأهيل",
)


def _require_current(unit: AdminUnit) -> None:
    """Bulletins, cohorts and endpoints belong to units that exist today (a person's contacts
    and choices follow the person, wherever their record is kept)."""
    if not unit.is_valid_on(timezone.localdate()):
        raise Conflict(
            _("{unit} no longer exists; use the unit that replaced it.").format(unit=unit),
            field="unit",
        )


# --- contact points ------------------------------------------------------------------------


def contact_point_add(
    actor: Viewer,
    person: Person,
    *,
    kind: str,
    value: str = "",
    language: str = "vi",
    consent_on: dt.date,
    consent_method: str,
) -> ContactPoint:
    """Record where ``person`` agreed to receive bulletins; one live point per channel."""
    if not _own_person(actor, person):
        require_perm(actor, "people.add_contactpoint", person.unit)
    if kind not in ContactKind.values:
        raise DomainError(_("“{value}” is not a channel.").format(value=kind), field="kind")
    if consent_method not in ConsentMethod.values:
        raise DomainError(_("Say how the person gave their consent."), field="consent_method")
    if consent_on > timezone.localdate():
        raise DomainError(_("Consent cannot be dated in the future."), field="consent_on")
    if language not in LANGUAGES:
        raise DomainError(_("Choose Vietnamese, English or Arabic."), field="language")
    value = _clean_address(kind, value.strip(), person)
    with transaction.atomic():
        if ContactPoint.objects.filter(
            person=person, kind=kind, withdrawn_at__isnull=True
        ).exists():
            raise Conflict(
                _("This person already has a {channel} contact; withdraw it first.").format(
                    channel=ContactKind(kind).label
                ),
                code="duplicate",
            )
        point: ContactPoint = ContactPoint.objects.create(
            person=person,
            kind=kind,
            value=value,
            language=language,
            consent_on=consent_on,
            consent_method=consent_method,
        )
        audit_record(actor, "contactpoint.create", point, changes={"kind": kind})
    return point


def _own_person(actor: Viewer, person: Person) -> bool:
    return actor is not None and actor.is_authenticated and person.user_id == actor.pk


def _clean_address(kind: str, value: str, person: Person) -> str:
    if kind == ContactKind.APP:
        if person.user_id is None:
            raise DomainError(_("This person has no account, so has no app inbox."), field="kind")
        return ""
    if kind == ContactKind.EMAIL:
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except Exception as exc:  # ValidationError: said in the user's words below
            raise DomainError(_("Enter a valid email address."), field="value") from exc
        return value.lower()
    digits = value.replace(" ", "").replace(".", "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not (digits.isdigit() and len(digits) == 10 and digits.startswith("0")):
        raise DomainError(
            _("Enter a Vietnamese mobile number of 10 digits, e.g. 0912 345 678."),
            field="value",
        )
    return digits


def contact_point_withdraw(actor: Viewer, point: ContactPoint) -> ContactPoint:
    """Withdraw consent: nothing more is sent there, queued messages included."""
    if not _own_person(actor, point.person):
        require_perm(actor, "people.change_contactpoint", point.person.unit)
    if point.withdrawn_at is not None:
        return point
    with transaction.atomic():
        point.withdrawn_at = timezone.now()
        point.value = ""
        point.save(update_fields=["withdrawn_at", "value"])
        channel = _CHANNEL_OF_KIND[point.kind]
        Delivery.objects.filter(
            person_id=point.person_id, channel=channel, state=DeliveryState.QUEUED
        ).update(state=DeliveryState.FAILED, error="consent withdrawn")
        audit_record(actor, "contactpoint.withdraw", point)
    return point


_CHANNEL_OF_KIND: dict[str, str] = {
    ContactKind.SMS: Channel.SMS,
    ContactKind.EMAIL: Channel.EMAIL,
    ContactKind.ZALO: Channel.ZALO,
    ContactKind.APP: Channel.APP,
}


# --- subscriptions -------------------------------------------------------------------------


def subscribe(
    actor: Viewer,
    person: Person,
    *,
    topics: list[str] | None = None,
    channels: list[str] | None = None,
    quiet_from: dt.time | None = None,
    quiet_until: dt.time | None = None,
) -> Subscription:
    if not _own_person(actor, person):
        require_perm(actor, "bulletins.add_subscription", person.unit)
    topics, channels = list(topics or []), list(channels or [])
    for topic in topics:
        if topic not in Category.values:
            raise DomainError(_("“{value}” is not a topic.").format(value=topic), field="topics")
    for channel in channels:
        if channel not in _CHANNEL_OF_KIND.values():
            raise DomainError(
                _("“{value}” is not a channel.").format(value=channel), field="channels"
            )
    if (quiet_from is None) != (quiet_until is None):
        raise DomainError(_("Give both ends of the quiet hours, or neither."), field="quiet_from")
    with transaction.atomic():
        sub, _created = Subscription.objects.update_or_create(
            person=person,
            defaults={
                "topics": topics,
                "channels": channels,
                "quiet_from": quiet_from,
                "quiet_until": quiet_until,
                "unsubscribed_at": None,
            },
        )
        audit_record(actor, "subscription.save", sub, changes={"topics": topics})
    return sub


def unsubscribe(token: str) -> Subscription | None:
    """The one-click unsubscribe every message links to; an unknown token changes nothing."""
    sub = Subscription.objects.filter(token=token).select_related("person__unit").first()
    if sub is None:
        return None
    if sub.unsubscribed_at is None:
        with transaction.atomic():
            sub.unsubscribed_at = timezone.now()
            sub.save(update_fields=["unsubscribed_at"])
            audit_record(None, "subscription.unsubscribe", sub)
    return sub


# --- restricted cohorts --------------------------------------------------------------------


def cohort_create(
    actor: Viewer, unit: AdminUnit, *, kind: str, name: str, neutral_wording: str
) -> Cohort:
    require_perm(actor, VIEW_RESTRICTED, unit)
    require_perm(actor, "bulletins.add_cohort", unit)
    _require_current(unit)
    if kind not in CohortKind.values:
        raise DomainError(_("“{value}” is not a cohort kind.").format(value=kind), field="kind")
    name = name.strip()
    if not name:
        raise DomainError(_("Name the cohort."), field="name")
    cohort = Cohort(unit=unit, kind=kind, name=name, neutral_wording=neutral_wording.strip())
    _check_neutral(cohort)
    with transaction.atomic():
        cohort.created_by = signed_in(actor)
        cohort.save()
        audit_record(actor, "cohort.create", cohort)
    return cohort


def _check_neutral(cohort: Cohort) -> None:
    """Refuse a wording that tells the recipient which cohort they are in."""
    wording = cohort.neutral_wording.casefold()
    if not wording:
        raise DomainError(
            _("Write what recipients read instead of the cohort's name."), field="neutral_wording"
        )
    labels = [cohort.name]
    for language in LANGUAGES:
        with override(language):
            labels.append(str(CohortKind(cohort.kind).label))
    found = [w for w in (*REVEALING, *labels) if w.casefold() in wording]
    if found:
        raise DomainError(
            _("What recipients read must not say why they receive it (it names “{word}”).").format(
                word=found[0]
            ),
            field="neutral_wording",
        )


def cohort_member_add(actor: Viewer, cohort: Cohort, person: Person) -> CohortMember:
    require_perm(actor, VIEW_RESTRICTED, cohort.unit)
    require_perm(actor, "bulletins.add_cohortmember", cohort.unit)
    if not person.unit.path.startswith(cohort.unit.path):
        raise DomainError(
            _("{person} does not live in {unit}.").format(person=person, unit=cohort.unit),
            field="person",
        )
    with transaction.atomic():
        if CohortMember.objects.filter(
            cohort=cohort, person=person, removed_on__isnull=True
        ).exists():
            raise Conflict(_("This person is already in the cohort."), code="duplicate")
        member = CohortMember.objects.create(
            cohort=cohort, person=person, added_by=signed_in(actor)
        )
        audit_record(actor, "cohortmember.create", member)
    return member


def cohort_member_remove(actor: Viewer, member: CohortMember) -> CohortMember:
    require_perm(actor, VIEW_RESTRICTED, member.cohort.unit)
    require_perm(actor, "bulletins.delete_cohortmember", member.cohort.unit)
    if member.removed_on is None:
        with transaction.atomic():
            member.removed_on = timezone.localdate()
            member.save(update_fields=["removed_on"])
            audit_record(actor, "cohortmember.remove", member)
    return member


def cohort_members(actor: Viewer, cohort: Cohort) -> list[CohortMember]:
    """The live members of ``cohort``, for its keepers only; the listing is audited."""
    require_perm(actor, VIEW_RESTRICTED, cohort.unit)
    members = list(
        CohortMember.objects.filter(cohort=cohort, removed_on__isnull=True).select_related("person")
    )
    audit_record(
        actor,
        "cohort.list_members",
        cohort,
        sensitive_read=True,
        changes={"count": len(members)},
    )
    return members


# --- writing and approving -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    language: str
    headline: str
    description: str
    instruction: str = ""


@dataclass(frozen=True)
class Audience:
    kind: str
    target: Any  # an AdminUnit, a community Group or a Cohort


def bulletin_draft(
    actor: Viewer,
    unit: AdminUnit,
    *,
    category: str,
    event: str,
    urgency: str,
    severity: str,
    certainty: str,
    expires_at: dt.datetime,
    texts: list[Text],
    audiences: list[Audience],
    area_units: list[AdminUnit] | None = None,
    area_polygon: list[list[float]] | None = None,
    area_circles: list[list[float]] | None = None,
    msg_type: str = MsgType.ALERT,
    references: Bulletin | None = None,
) -> Bulletin:
    """A draft bulletin, checked in full: it can be submitted as it is."""
    require_perm(actor, "bulletins.add_bulletin", unit)
    _require_current(unit)
    for value, choices, field in (
        (category, Category, "category"),
        (urgency, Urgency, "urgency"),
        (severity, Severity, "severity"),
        (certainty, Certainty, "certainty"),
        (msg_type, MsgType, "msg_type"),
    ):
        if value not in choices.values:
            raise DomainError(
                _("“{value}” is not a valid {field}.").format(
                    value=value,
                    field=getattr(Bulletin._meta.get_field(field), "verbose_name", field),
                ),
                field=field,
            )
    event = event.strip()
    if not event:
        raise DomainError(_("Name the event, e.g. “Drug situation”."), field="event")
    if expires_at <= timezone.now():
        raise DomainError(_("The expiry must be in the future."), field="expires_at")
    if msg_type == MsgType.ALERT and references is not None:
        raise DomainError(_("A new alert changes no earlier bulletin."), field="references")
    if msg_type != MsgType.ALERT:
        if references is None:
            raise DomainError(
                _("An update or cancellation names the bulletin it changes."), field="references"
            )
        if references.status != BulletinStatus.SENT:
            raise DomainError(
                _("Only a sent bulletin can be updated or cancelled."), field="references"
            )
    _check_texts(texts)
    if not audiences:
        raise DomainError(_("Choose who receives the bulletin."), field="audiences")
    for audience in audiences:
        _check_audience(actor, unit, audience)
    polygon = _check_polygon(area_polygon or [])
    circles = _check_circles(area_circles or [])
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            unit=unit,
            msg_type=msg_type,
            references=references,
            category=category,
            event=event,
            urgency=urgency,
            severity=severity,
            certainty=certainty,
            expires_at=expires_at,
            area_polygon=polygon,
            area_circles=circles,
            created_by=signed_in(actor),
        )
        bulletin.area_units.set(area_units or [unit])
        BulletinText.objects.bulk_create(
            BulletinText(
                bulletin=bulletin,
                language=t.language,
                headline=t.headline.strip(),
                description=t.description.strip(),
                instruction=t.instruction.strip(),
            )
            for t in texts
        )
        BulletinAudience.objects.bulk_create(
            BulletinAudience(bulletin=bulletin, kind=a.kind, **{_TARGET[a.kind]: a.target})
            for a in audiences
        )
        audit_record(actor, "bulletin.create", bulletin, changes={"audiences": len(audiences)})
    return bulletin


_TARGET: dict[str, str] = {
    AudienceKind.UNIT: "unit",
    AudienceKind.GROUP: "group",
    AudienceKind.COHORT: "cohort",
}


def _check_texts(texts: list[Text]) -> None:
    languages = [t.language for t in texts]
    if "vi" not in languages:
        raise DomainError(_("Write the bulletin in Vietnamese at least."), field="texts")
    if len(set(languages)) != len(languages) or not set(languages) <= set(LANGUAGES):
        raise DomainError(
            _("Write each language once: Vietnamese, English, Arabic."), field="texts"
        )
    for text in texts:
        if not text.headline.strip() or not text.description.strip():
            raise DomainError(
                _("Each language needs a headline and a text ({language}).").format(
                    language=text.language
                ),
                field="texts",
            )
        if len(text.headline) > 160:
            raise DomainError(_("Keep the headline under 160 characters."), field="texts")


def _check_audience(actor: Viewer, unit: AdminUnit, audience: Audience) -> None:
    target = audience.target
    if audience.kind not in _TARGET or target is None:
        raise DomainError(_("Choose who receives the bulletin."), field="audiences")
    if audience.kind == AudienceKind.COHORT:
        if not isinstance(target, Cohort) or not has_perm_at(actor, VIEW_RESTRICTED, target.unit):
            raise DomainError(_("That cohort does not exist."), field="audiences")
        return
    place = target if audience.kind == AudienceKind.UNIT else target.unit
    if not has_perm_at(actor, "bulletins.add_bulletin", place):
        raise DomainError(_("You may send bulletins only within your own area."), field="audiences")


def _check_polygon(points: list[list[float]]) -> list[list[float]]:
    if not points:
        return []
    try:
        pairs = [[float(lat), float(lon)] for lat, lon in points]
    except (TypeError, ValueError) as exc:
        raise DomainError(_("The drawn area is not a list of points."), field="area") from exc
    if len(pairs) < 3:
        raise DomainError(_("Draw an area of at least three corners."), field="area")
    if pairs[0] != pairs[-1]:
        pairs.append(pairs[0])
    for lat, lon in pairs:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DomainError(_("A corner of the drawn area is off the map."), field="area")
    return pairs


def _check_circles(circles: list[list[float]]) -> list[list[float]]:
    result = []
    for circle in circles:
        try:
            lat, lon, radius = (float(v) for v in circle)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("A circle needs a centre and a radius."), field="area") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not 0 < radius <= 500:
            raise DomainError(
                _("A circle needs a centre on the map and a radius up to 500 km."), field="area"
            )
        result.append([lat, lon, radius])
    return result


def bulletin_delete(actor: Viewer, bulletin: Bulletin) -> None:
    """Throw away a draft; a bulletin submitted, approved or sent is kept as the record."""
    require_perm(actor, "bulletins.delete_bulletin", bulletin.unit)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.status != BulletinStatus.DRAFT:
            raise Conflict(_("Only a draft can be deleted."), code="state")
        audit_record(actor, "bulletin.delete", bulletin)
        bulletin.delete()


def bulletin_submit(actor: Viewer, bulletin: Bulletin) -> Bulletin:
    """Submit a draft: one to a restricted cohort waits for a second approver; others are
    approved by their author's submission."""
    require_perm(actor, "bulletins.add_bulletin", bulletin.unit)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.status != BulletinStatus.DRAFT:
            raise Conflict(_("Only a draft can be submitted."), code="state")
        bulletin.submitted_at = timezone.now()
        if bulletin.is_restricted:
            bulletin.status = BulletinStatus.AWAITING
        else:
            bulletin.status = BulletinStatus.APPROVED
            bulletin.approved_by = signed_in(actor)
            bulletin.approved_at = bulletin.submitted_at
        bulletin.save(update_fields=["status", "submitted_at", "approved_by", "approved_at"])
        audit_record(actor, "bulletin.submit", bulletin, changes={"status": bulletin.status})
    return bulletin


def bulletin_approve(actor: Viewer, bulletin: Bulletin) -> Bulletin:
    """The second pair of eyes on a bulletin to a restricted cohort: never its author; each
    cohort's neutral wording is checked again."""
    require_perm(actor, APPROVE, bulletin.unit)
    if bulletin.created_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Another officer must approve a bulletin you wrote."))
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.status != BulletinStatus.AWAITING:
            raise Conflict(_("This bulletin is not waiting for approval."), code="state")
        for audience in bulletin.audiences.filter(kind=AudienceKind.COHORT).select_related(
            "cohort"
        ):
            assert audience.cohort is not None
            _check_neutral(audience.cohort)
            for text in bulletin.texts.all():
                if audience.cohort.name.casefold() in (
                    f"{text.headline} {text.description} {text.instruction}".casefold()
                ):
                    raise DomainError(
                        _(
                            "The text names the cohort “{name}”; recipients must not read it."
                        ).format(name=audience.cohort.name),
                        field="texts",
                    )
        bulletin.status = BulletinStatus.APPROVED
        bulletin.approved_by = signed_in(actor)
        bulletin.approved_at = timezone.now()
        bulletin.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(actor, "bulletin.approve", bulletin)
    return bulletin


def bulletin_send(actor: Viewer, bulletin: Bulletin) -> Bulletin:
    """Send an approved bulletin: its deliveries are created and sent by the workers."""
    require_perm(actor, "bulletins.change_bulletin", bulletin.unit)
    from safeward.bulletins.tasks import fan_out

    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.status != BulletinStatus.APPROVED:
            raise Conflict(_("Only an approved bulletin can be sent."), code="state")
        if bulletin.expired:
            raise Conflict(_("This bulletin has expired; it is no longer sent."), code="expired")
        bulletin.status = BulletinStatus.SENT
        bulletin.sent_at = timezone.now()
        bulletin.save(update_fields=["status", "sent_at"])
        audit_record(actor, "bulletin.send", bulletin)
        transaction.on_commit(lambda: fan_out.enqueue(bulletin.pk))
    return bulletin


def bulletin_resend(actor: Viewer, bulletin: Bulletin, *, after_hours: int) -> int:
    """Send the bulletin again to everyone reached at least ``after_hours`` ago who has not
    answered on any channel; returns how many messages are queued.

    A round's keys are ``<delivery key>:r<round>``: the same round asked twice (a double
    click, two officers at once) adds nothing the second time.
    """
    require_perm(actor, "bulletins.change_bulletin", bulletin.unit)
    if bulletin.is_restricted:
        require_perm(actor, VIEW_RESTRICTED, bulletin.unit)
    if not 1 <= after_hours <= 24 * 30:
        raise DomainError(_("Resend after 1 hour to 30 days (720 hours)."), field="after_hours")
    if bulletin.status != BulletinStatus.SENT:
        raise Conflict(_("Only a sent bulletin can be sent again."), code="state")
    if bulletin.expired:
        raise Conflict(_("This bulletin has expired; it is no longer sent."), code="expired")
    if bulletin.sent_at and bulletin.sent_at > timezone.now() - dt.timedelta(hours=after_hours):
        raise Conflict(
            _("The bulletin was sent less than {n} hours ago.").format(n=after_hours),
            code="too_soon",
        )
    from safeward.bulletins.tasks import send_bulletin

    cutoff = timezone.now() - dt.timedelta(hours=after_hours)
    with transaction.atomic():
        Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        rounds = AuditEvent.objects.filter(
            action="bulletin.resend", object_type="bulletins.bulletin", object_id=str(bulletin.pk)
        ).count()
        answered = bulletin.deliveries.exclude(answer="").exclude(person=None).values("person_id")
        originals = (
            bulletin.deliveries.filter(
                person__isnull=False,
                state__in=[DeliveryState.SENT, DeliveryState.DELIVERED],
                sent_at__lte=cutoff,
            )
            .exclude(person_id__in=answered)
            .exclude(key__contains=":r")
            # Nor again to whoever a recent round reached (a second click adds nothing).
            .exclude(
                person_id__in=bulletin.deliveries.filter(
                    key__contains=":r", not_before__gt=cutoff
                ).values("person_id")
            )
        )
        now = timezone.now()
        rows = [
            Delivery(
                bulletin_id=bulletin.pk,
                person_id=d.person_id,
                channel=d.channel,
                audience_kind=d.audience_kind,
                key=f"{d.key}:r{rounds + 1}",
                not_before=now,
            )
            for d in originals.only("person_id", "channel", "audience_kind", "key").iterator()
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        audit_record(
            actor,
            "bulletin.resend",
            bulletin,
            changes={"after_hours": after_hours, "queued": len(rows)},
        )
        if rows:
            transaction.on_commit(lambda: send_bulletin.enqueue(bulletin.pk))
    return len(rows)


# --- resolving audiences to people ---------------------------------------------------------


def recipients(bulletin: Bulletin, chunk: int = 5000) -> Iterator[tuple[int, str]]:
    """(person id, audience kind) for every recipient, each person once, in id order.

    Read in chunks by keyset over one query of every audience together: a million
    recipients never sit in memory at once. A person in several audiences is counted under
    the most sensitive one (cohort, then group, then area). An area reaches the residents
    subscribed to it whose topics include the bulletin's category.
    """
    # Named by label: apps read one another's models only through their services.
    membership = apps.get_model("community", "Membership")
    today = timezone.localdate()
    parts: list[tuple[str, Q]] = []
    for audience in bulletin.audiences.select_related("unit", "cohort", "group"):
        if audience.kind == AudienceKind.COHORT:
            members = CohortMember.objects.filter(cohort=audience.cohort, removed_on__isnull=True)
            parts.append((audience.kind, Q(pk__in=members.values("person_id"))))
        elif audience.kind == AudienceKind.GROUP:
            active = membership.objects.filter(group=audience.group).active(today)
            parts.append((audience.kind, Q(pk__in=active.values("person_id"))))
        else:
            assert audience.unit is not None
            subscribed = Subscription.objects.filter(unsubscribed_at__isnull=True)
            parts.append(
                (
                    audience.kind,
                    Q(unit__path__startswith=audience.unit.path)
                    & Q(pk__in=subscribed.values("person_id")),
                )
            )
    if not parts:
        return
    rank = {AudienceKind.COHORT: 0, AudienceKind.GROUP: 1, AudienceKind.UNIT: 2}
    parts.sort(key=lambda part: rank[part[0]])  # type: ignore[index]
    anyone = Q(pk__in=[])
    for _kind, q in parts:
        anyone |= q
    last = 0
    while True:
        ids = list(
            Person.objects.filter(anyone, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return
        kinds: dict[int, str] = {}
        for kind, q in parts:
            if len(parts) == 1:
                kinds = dict.fromkeys(ids, kind)
                break
            for pk in Person.objects.filter(q, pk__in=ids).values_list("pk", flat=True):
                kinds.setdefault(pk, kind)
        off_topic = _off_topic(bulletin, [pk for pk in ids if kinds[pk] == AudienceKind.UNIT])
        for pk in ids:
            if pk not in off_topic:
                yield pk, kinds[pk]
        last = ids[-1]


def _off_topic(bulletin: Bulletin, person_ids: list[int]) -> set[int]:
    """Subscribers among ``person_ids`` who chose topics that leave out this bulletin's."""
    if not person_ids:
        return set()
    rows = Subscription.objects.filter(person_id__in=person_ids).values_list("person_id", "topics")
    return {pk for pk, topics in rows if topics and bulletin.category not in topics}


def answer(actor: Viewer, delivery: Delivery, value: str) -> Delivery:
    """The recipient's answer to a bulletin: seen, I need help, I have information."""
    if value not in Answer.values:
        raise DomainError(_("Choose one of the answers."), field="answer")
    person = delivery.person
    if person is None or not _own_person(actor, person):
        raise PermissionDenied(_("You may not do this here."))
    with transaction.atomic():
        now = timezone.now()
        Delivery.objects.filter(bulletin_id=delivery.bulletin_id, person_id=person.pk).update(
            answer=value, answered_at=now, state=DeliveryState.ACKNOWLEDGED
        )
        delivery.refresh_from_db()
        audit_record(actor, "delivery.answer", delivery, changes={"answer": value})
    return delivery


def delivery_counts(bulletin: Bulletin) -> dict[str, dict[str, int]]:
    """Deliveries of ``bulletin`` by channel and state, for its page."""
    from django.db.models import Count

    counts: dict[str, dict[str, int]] = {}
    for row in bulletin.deliveries.values("channel", "state").annotate(n=Count("id")):
        counts.setdefault(row["channel"], {})[row["state"]] = row["n"]
    return counts


def delivery_figures(actor: Viewer, bulletin: Bulletin) -> dict[str, dict[str, int | None]]:
    """The counts of :func:`delivery_counts` as ``actor`` may read them.

    Deliveries to a restricted cohort count people in it: they are counted only for the
    cohort's keepers, and even then a count of 1 to 4 is withheld (``None``), as every
    published count of sensitive data is.
    """
    from django.db.models import Count

    from safeward.core.suppression import suppress_count

    rows = bulletin.deliveries.all()
    if not has_perm_at(actor, VIEW_RESTRICTED, bulletin.unit):
        rows = rows.exclude(audience_kind=AudienceKind.COHORT)
    restricted = bulletin.is_restricted
    figures: dict[str, dict[str, int | None]] = {}
    for row in rows.values("channel", "state").annotate(n=Count("id")):
        n = row["n"]
        figures.setdefault(row["channel"], {})[row["state"]] = (
            suppress_count(n) if restricted else n
        )
    return figures


def report_prefill(actor: Viewer, identifier: str, language: str) -> str:
    """The opening of a report written in answer to a bulletin (“About the bulletin …”),
    for a bulletin still in force that is public or that reached ``actor``; else ``""``."""
    from safeward.bulletins.documents import text_for

    bulletin = (
        Bulletin.objects.filter(
            identifier=identifier[:80], status=BulletinStatus.SENT, expires_at__gt=timezone.now()
        )
        .prefetch_related("texts")
        .first()
    )
    if bulletin is None:
        return ""
    person = getattr(actor, "person", None) if actor is not None else None
    reached = person is not None and bulletin.deliveries.filter(person=person).exists()
    if not (reached or bulletin.is_public):
        return ""
    text = text_for(bulletin, language)
    return _("About the bulletin “{headline}”: ").format(headline=text.headline)


def answer_figures(actor: Viewer, bulletin: Bulletin) -> dict[str, int | None]:
    """How many recipients answered each way, as ``actor`` may read it (the rules of
    :func:`delivery_figures`): one person answering on two channels counts once."""
    from django.db.models import Count

    from safeward.core.suppression import suppress_count

    rows = bulletin.deliveries.exclude(answer="").exclude(person=None)
    if not has_perm_at(actor, VIEW_RESTRICTED, bulletin.unit):
        rows = rows.exclude(audience_kind=AudienceKind.COHORT)
    counted = {
        row["answer"]: row["n"]
        for row in rows.values("answer").annotate(n=Count("person_id", distinct=True))
    }
    restricted = bulletin.is_restricted
    return {
        value: (suppress_count(counted.get(value, 0)) if restricted else counted.get(value, 0))
        for value in Answer.values
    }


def webhook_add(actor: Viewer, unit: AdminUnit, *, name: str, url: str) -> WebhookEndpoint:
    require_perm(actor, "bulletins.add_webhookendpoint", unit)
    _require_current(unit)
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise DomainError(_("A webhook must use https."), field="url")
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(unit=unit, name=name.strip() or url, url=url)
        audit_record(actor, "webhookendpoint.create", endpoint)
    return endpoint


def webhook_update(
    actor: Viewer, endpoint: WebhookEndpoint, *, name: str | None = None, active: bool | None = None
) -> WebhookEndpoint:
    require_perm(actor, "bulletins.change_webhookendpoint", endpoint.unit)
    changes: dict[str, Any] = {}
    if name is not None and name.strip() and name.strip() != endpoint.name:
        changes["name"] = endpoint.name = name.strip()
    if active is not None and active != endpoint.active:
        changes["active"] = endpoint.active = active
    if changes:
        with transaction.atomic():
            endpoint.save(update_fields=list(changes))
            audit_record(actor, "webhookendpoint.update", endpoint, changes=changes)
    return endpoint


def webhook_new_secret(actor: Viewer, endpoint: WebhookEndpoint) -> str:
    """A new signing secret for ``endpoint``, shown once to who set it; the old one stops."""
    import secrets

    require_perm(actor, "bulletins.change_webhookendpoint", endpoint.unit)
    with transaction.atomic():
        endpoint.secret = secrets.token_hex(32)
        endpoint.save(update_fields=["secret"])
        audit_record(actor, "webhookendpoint.new_secret", endpoint)
    return endpoint.secret


def sender_id() -> str:
    return settings.SAFEWARD_CAP_SENDER
