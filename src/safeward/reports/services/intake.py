"""Intake: one service for every channel (web, API, Open311, staff), with placing and routing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.core.audit import audit_event, audit_record
from safeward.core.errors import DomainError, Missing
from safeward.core.rows import Linked, insert_linked
from safeward.core.scoping import has_perm_anywhere
from safeward.core.services import acting_user, require_perm
from safeward.core.uploads import CleanUpload, stored_files
from safeward.geo.models import AdminUnit
from safeward.reports.attributes import clean_attributes
from safeward.reports.caches import active_category, rules_at
from safeward.reports.choices import (
    MAX_TEXT,
    STAFF_CHANNELS,
    TRACK_DAYS,
    Channel,
    EventKind,
    Priority,
    ReportStatus,
)
from safeward.reports.models import (
    IdempotencyRecord,
    Open311Client,
    Report,
    ReportAttachment,
    ReporterIdentity,
    RoutingRule,
    ServiceCategory,
    hash_secret,
    normal_tracking_code,
)
from safeward.reports.placing import check_point, misplaced_choice, place_point, ward_of
from safeward.reports.services.timeline import new_event
from safeward.reports.tasks import notify_assignee

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_MEDIA_URL = 500
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CHANNELS = frozenset(Channel.values)


@dataclass
class ReporterInfo:
    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = True

    @property
    def named(self) -> bool:
        return not self.anonymous and bool(self.name or self.phone or self.email)


@dataclass
class Submission:
    """What intake returns: the report, its secret (only when just created) and whether it is new."""

    report: Report
    secret: str | None
    created: bool
    duplicates: list[Report] = field(default_factory=list)


def _random(n: int) -> str:
    # Each random byte picks a letter without bias: 256 is a multiple of the alphabet's 32.
    return "".join([CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in secrets.token_bytes(n)])


def new_tracking_code() -> str:
    return f"SW-{_random(4)}-{_random(4)}"


def new_secret() -> str:
    return f"{_random(5)}-{_random(5)}"


def due_date(track: str, received: dt.date) -> dt.date:
    return received + dt.timedelta(days=TRACK_DAYS[track])


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def category_by_code(code: str, unit: AdminUnit | None = None) -> ServiceCategory:
    """The active category with ``code`` that applies at ``unit``; any other code is missing."""
    category = active_category(code or "")
    if category is None or (
        unit is not None
        and category.jurisdiction_id
        and not unit.path.startswith(category.jurisdiction.path)  # type: ignore[union-attr]
    ):
        raise Missing(
            _("Unknown category “{code}”.").format(code=code), field="category", code="bad_category"
        )
    return category


def clean_description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Describe what happened."), field="description", code="required")
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("The description is too long ({n} characters; at most {max}).").format(
                n=len(text), max=MAX_TEXT
            ),
            field="description",
            code="too_long",
        )
    return text


def clean_media_url(url: str) -> str:
    """An http(s) link kept as given; it is never fetched."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > MAX_MEDIA_URL:
        raise DomainError(
            _("media_url is too long ({n} characters; at most {max}).").format(
                n=len(url), max=MAX_MEDIA_URL
            ),
            field="media_url",
            code="too_long",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(
            _("media_url must be a web address starting with http:// or https://."),
            field="media_url",
            code="bad_url",
        ) from None
    return url


def clean_reporter(info: ReporterInfo) -> ReporterInfo:
    phone = "".join(ch for ch in info.phone if ch.isdigit() or ch == "+")
    if info.phone and not (8 <= len(phone) <= 15):
        raise DomainError(_("The phone number is not valid."), field="phone", code="bad_phone")
    if info.email:
        try:
            validate_email(info.email)
        except Exception:
            raise DomainError(
                _("The email address is not valid."), field="email", code="bad_email"
            ) from None
    named = not info.anonymous and bool(info.name or phone or info.email)
    return ReporterInfo(info.name.strip()[:120], phone, info.email.strip(), not named)


def clean_occurred_at(occurred_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if occurred_at is None:
        return now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + dt.timedelta(minutes=10) or occurred_at < EARLIEST:
        raise DomainError(
            _("The time of the incident cannot be in the future or before 2000."),
            field="occurred_at",
            code="bad_time",
        )
    return occurred_at


def resolve_place(
    *,
    latitude: float | None,
    longitude: float | None,
    unit: AdminUnit | None,
    day: dt.date,
) -> AdminUnit:
    """The unit a report belongs to: the given unit (checked), else the one holding the point."""
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude."), field="lat", code="bad_point")
    if latitude is not None and longitude is not None:
        check_point(latitude, longitude)
    if unit is not None:
        ward_of(unit)
        if not unit.is_valid_on(day):
            raise DomainError(
                _("{unit} did not exist on {day}.").format(unit=unit, day=day.isoformat()),
                field="unit",
                code="bad_unit",
            )
        if latitude is not None and longitude is not None:
            _check_choice_holds_point(unit, latitude, longitude, day)
        return unit
    if latitude is None or longitude is None:
        raise DomainError(
            _("Give the place: a point on the map or a ward."), field="lat", code="no_place"
        )
    return place_point(latitude, longitude, day)


def _check_choice_holds_point(
    unit: AdminUnit, latitude: float, longitude: float, day: dt.date
) -> None:
    """A pin plainly in another ward than the one chosen is refused, naming the right one."""
    other = misplaced_choice(unit, latitude, longitude, day)
    if other is not None:
        raise DomainError(
            _(
                "The place on the map is in {placed}, not in {chosen}. Choose {placed}, or "
                "move the pin."
            ).format(placed=other.name, chosen=ward_of(unit).name),
            field="unit",
            code="other_unit",
        )


def _replayed(owner: str, key: str) -> Report | None:
    if not key:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_replay_sql(connection.vendor), [owner, key])
        found = cursor.fetchone()
    return Report.objects.select_related("category").get(pk=found[0]) if found else None


@lru_cache(maxsize=4)
def _replay_sql(vendor: str) -> str:
    """The idempotency look-up, written once: it runs before every submission."""
    meta = IdempotencyRecord._meta
    q = connection.ops.quote_name
    return (
        f"SELECT {q(meta.get_field('report').column)} FROM {q(meta.db_table)}"
        f" WHERE {q(meta.get_field('owner').column)} = %s"
        f" AND {q(meta.get_field('key').column)} = %s"
    )


def _check_channel(actor: Viewer, channel: str, unit: AdminUnit) -> None:
    if channel not in CHANNELS:
        raise DomainError(_("Unknown channel."), field="channel", code="bad_channel")
    if channel in STAFF_CHANNELS:
        require_perm(actor, "reports.add_report", unit)


def report_submit(
    actor: Viewer,
    *,
    category: ServiceCategory,
    description: str,
    channel: str,
    latitude: float | None = None,
    longitude: float | None = None,
    unit: AdminUnit | None = None,
    address: str = "",
    occurred_at: dt.datetime | None = None,
    attributes: dict[str, Any] | None = None,
    reporter: ReporterInfo | None = None,
    uploads: list[CleanUpload] | None = None,
    media_url: str = "",
    priority: int = Priority.NORMAL,
    idempotency_owner: str = "",
    idempotency_key: str = "",
    require_scope: bool = False,
) -> Submission:
    """Validate, place, route and store a report with its reporter and files; audit it.

    A repeated ``idempotency_key`` from the same owner returns the first report unchanged;
    ``require_scope`` demands that ``actor`` may add reports where the report lands.
    Checks and placing only read, so they run before the one write transaction.
    """
    previous = _replayed(idempotency_owner, idempotency_key)
    if previous is not None:
        return Submission(previous, None, False)
    when = clean_occurred_at(occurred_at)
    day = timezone.localdate(when)
    place = resolve_place(latitude=latitude, longitude=longitude, unit=unit, day=day)
    category_by_code(category.code, place)
    _check_channel(actor, channel, place)
    if require_scope:
        require_perm(actor, "reports.add_report", place)
    info = clean_reporter(reporter or ReporterInfo())
    report = _create_report(
        actor,
        category=category,
        description=clean_description(description),
        answers=clean_attributes(category, attributes or {}),
        place=place,
        point=(latitude, longitude),
        address=address.strip()[:255],
        media_url=clean_media_url(media_url),
        occurred_at=when,
        channel=channel,
        anonymous=info.anonymous,
        priority=priority,
    )
    secret = new_secret()
    report.secret_hash = hash_secret(report.tracking_code, secret)
    _route(report)
    _store(actor, report, info, uploads or [], (idempotency_owner, idempotency_key))
    return Submission(report, secret, True)


def _store(
    actor: Viewer,
    report: Report,
    info: ReporterInfo,
    uploads: list[CleanUpload],
    idempotency: tuple[str, str],
) -> None:
    linked = [
        Linked(
            new_event(actor, report, EventKind.SUBMITTED, public=True, status=report.status),
            key_fields=("report_id",),
        ),
        Linked(
            audit_event(actor, "reports.submit", report, changes={"channel": report.channel}),
            key_text_fields=("object_id",),
        ),
    ]
    if idempotency[1]:
        record = IdempotencyRecord(owner=idempotency[0], key=idempotency[1], report=report)
        linked.append(Linked(record, key_fields=("report_id",)))
    if info.named or uploads or connection.in_atomic_block:
        # A savepoint inside a caller's transaction: a repeated key then undoes only this.
        contents = [u.content for u in uploads]
        with stored_files(ReportAttachment, contents) as names, transaction.atomic():
            insert_linked(report, linked)
            _store_extras(report, info, list(zip(uploads, names, strict=True)))
    else:
        # Atomic by itself (on PostgreSQL one statement): no transaction around it.
        insert_linked(report, linked)
    if report.assignee_id:
        transaction.on_commit(lambda: notify_assignee.enqueue(report.pk))


def replayed_report(owner: str, key: str) -> Report | None:
    """The report an earlier request with this ``Idempotency-Key`` already stored, if any."""
    return _replayed(owner, key)


@transaction.atomic
def report_secret_reissue(actor: Viewer, report: Report, *, reason: str) -> str:
    """A new secret for ``report`` (the old one stops working); audited, returned once.

    Used when a device repeats a submission whose answer never reached it: the first
    secret was never shown, so the resident gets the same report with a new one.
    """
    secret = new_secret()
    report.secret_hash = hash_secret(report.tracking_code, secret)
    report.save(update_fields=["secret_hash"])
    audit_record(actor, "reports.secret_reissued", report, reason=reason)
    return secret


def report_submit_once(actor: Viewer, **kwargs: Any) -> Submission:
    """:func:`report_submit`, resolving a race between two requests with the same idempotency key."""
    try:
        return report_submit(actor, **kwargs)
    except IntegrityError:
        previous = _replayed(kwargs.get("idempotency_owner", ""), kwargs.get("idempotency_key", ""))
        if previous is None:
            raise
        return Submission(previous, None, False)


def _create_report(
    actor: Viewer, *, place: AdminUnit, point: tuple[Any, Any], **fields: Any
) -> Report:
    received = timezone.now()
    category = fields.pop("category")
    answers = fields.pop("answers")
    return Report(
        tracking_code=new_tracking_code(),
        category=category,
        attributes=answers,
        latitude=point[0],
        longitude=point[1],
        unit=place,
        unit_path=place.path,
        ward=ward_of(place),
        received_at=received,
        updated_at=received,
        track=category.default_track,
        due_on=due_date(category.default_track, timezone.localdate(received)),
        created_by=acting_user(actor),
        **fields,
    )


def _store_extras(
    report: Report, info: ReporterInfo, uploads: list[tuple[CleanUpload, str]]
) -> None:
    if info.named:
        ReporterIdentity.objects.create(
            report=report, name=info.name, phone=info.phone, email=info.email
        )
    for upload, name in uploads:
        ReportAttachment.objects.create(
            report=report,
            file=name,
            content_type=upload.content_type,
            size=upload.content.size,
            sha256=upload.sha256,
        )


def matching_rule(report: Report) -> RoutingRule | None:
    """The most specific active rule: deepest unit first, a category-specific rule before a general one."""
    parts = [p for p in report.unit_path.strip("/").split("/") if p]
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    candidates = [r for r in rules_at(ancestors) if r.category_id in (None, report.category_id)]
    candidates.sort(
        key=lambda r: (len(r.unit.path), r.category_id is not None, -r.pk), reverse=True
    )
    return candidates[0] if candidates else None


def _route(report: Report) -> None:
    rule = matching_rule(report)
    if rule is None:
        return
    report.team = rule.team
    if rule.assignee_id:
        report.assignee_id = rule.assignee_id
        report.status = ReportStatus.ASSIGNED


@transaction.atomic
def open311_client_create(actor: Viewer, *, name: str) -> tuple[Open311Client, str]:
    """Register an Open311 application; returns it with its api_key (shown once, stored hashed)."""
    if not has_perm_anywhere(actor, "reports.add_open311client"):
        raise PermissionDenied(_("You may not register Open311 clients."))
    raw = "o311_" + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name.strip()[:120], key_hash=hash_api_key(raw))
    audit_record(actor, "reports.open311_client", client)
    return client, raw


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(("safeward-open311:" + raw).encode()).hexdigest()


def staff_may_submit(actor: Viewer) -> bool:
    return has_perm_anywhere(actor, "reports.add_report")


def report_tracking_code_exists(code: str) -> bool:
    """Whether a report with this tracking code exists (for other modules that cite reports)."""
    return Report.objects.filter(tracking_code=normal_tracking_code(code)).exists()
