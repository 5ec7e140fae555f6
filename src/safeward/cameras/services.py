"""Writes to cameras, consents, campaigns, contributions and expenses; each is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeward.cameras.choices import (
    CameraStatus,
    ConsentCapture,
    ContactChannel,
    ExpenseKind,
    Listing,
    OrganiserKind,
)

# The lookup other apps ask (which cameras may hold footage of a point), re-exported here.
from safeward.cameras.contacts import CUSTODIAN as CUSTODIAN
from safeward.cameras.grid import grid_cell
from safeward.cameras.lookup import Candidate as Candidate
from safeward.cameras.lookup import Survey as Survey
from safeward.cameras.lookup import camera_candidates_for_point as camera_candidates_for_point
from safeward.cameras.lookup import camera_candidates_for_report as camera_candidates_for_report
from safeward.cameras.lookup import camera_survey as camera_survey
from safeward.cameras.models import (
    Camera,
    Campaign,
    ConsentRecord,
    Contribution,
    CustodianInvite,
    Expense,
)
from safeward.cameras.validation import (
    check_camera_fields,
    check_choice,
    check_positive,
)
from safeward.core.audit import audit_record
from safeward.core.errors import Conflict, DomainError
from safeward.core.services import model_fields, object_update, require_perm
from safeward.geo.choices import UnitLevel

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

# The fields a camera's register and update take; the form and the serializer derive theirs.
# ``custodian_user`` is not one: the custodian links their account by accepting an invitation.
CAMERA_FIELDS = [
    "custodian_kind",
    "custodian_label",
    "contact",
    "preferred_channel",
    "latitude",
    "longitude",
    "bearing",
    "fov",
    "range_m",
    "recording_mode",
    "retention_days",
    "sharing_mode",
    "status",
    "last_verified",
    "clock_offset_s",
    "installed_on",
    "cost_vnd",
    "signage_confirmed",
]
CONSENT_TERMS = "2025.1"


def _require_local_unit(unit: Any, day: dt.date) -> None:
    """A neighbourhood or ward that existed on ``day`` (facts stay with the unit valid then)."""
    if not unit.is_valid_on(day):
        raise DomainError(
            _("{unit} did not exist on {date}; use the unit valid then.").format(
                unit=unit, date=day.isoformat()
            ),
            field="unit",
        )
    if unit.level not in (UnitLevel.NEIGHBOURHOOD, UnitLevel.WARD):
        raise DomainError(
            _("Place a camera in a neighbourhood or a ward, not a {level}.").format(
                level=unit.get_level_display()
            ),
            field="unit",
        )


@transaction.atomic
def camera_register(
    actor: Viewer,
    *,
    unit: Any,
    custodian_kind: str,
    custodian_label: str,
    latitude: float,
    longitude: float,
    consent_captured_how: str = ConsentCapture.PAPER,
    consent_terms_version: str = CONSENT_TERMS,
    custodian_user: Any = None,
    **fields: Any,
) -> Camera:
    """Register a camera with the custodian's consent for its sharing mode; audit both."""
    require_perm(actor, "cameras.add_camera", unit)
    _require_local_unit(unit, fields.get("installed_on") or timezone.localdate())
    unknown = set(fields) - set(CAMERA_FIELDS)
    if unknown:
        raise DomainError(_("Unknown camera fields: {names}.").format(names=", ".join(unknown)))
    values = {
        "custodian_kind": custodian_kind,
        "custodian_label": custodian_label,
        "latitude": latitude,
        "longitude": longitude,
        **fields,
    }
    check_camera_fields(values)
    check_choice(consent_captured_how, ConsentCapture, "consent_captured_how")
    camera = Camera(
        unit=unit, cell=grid_cell(latitude, longitude), custodian_user=custodian_user, **values
    )
    camera.save()
    _grant_consent(actor, camera, consent_terms_version, consent_captured_how)
    changes = model_fields(camera, [*CAMERA_FIELDS, "custodian_user"])
    audit_record(actor, "camera.register", camera, changes=changes)
    return camera


def _set_consent_flag(camera: Camera, active: bool) -> None:
    camera.consent_active = active
    Camera.objects.filter(pk=camera.pk).update(consent_active=active)


def _grant_consent(actor: Viewer, camera: Camera, terms: str, how: str) -> ConsentRecord:
    _set_consent_flag(camera, True)
    return ConsentRecord.objects.create(
        camera=camera,
        terms_version=terms,
        scope=camera.sharing_mode,
        granted_at=timezone.now(),
        captured_how=how,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def camera_update(
    actor: Viewer,
    camera: Camera,
    *,
    consent_captured_how: str = ConsentCapture.PAPER,
    **changes: Any,
) -> Camera:
    """Change a camera's fields; a new sharing mode needs (and records) fresh consent."""
    require_perm(actor, "cameras.change_camera", camera.unit)
    unknown = set(changes) - set(CAMERA_FIELDS)
    if unknown:
        raise DomainError(_("Unknown camera fields: {names}.").format(names=", ".join(unknown)))
    if {"latitude", "longitude"} & set(changes):
        changes.setdefault("latitude", camera.latitude)
        changes.setdefault("longitude", camera.longitude)
    check_camera_fields(changes)
    if "latitude" in changes:
        changes["cell"] = grid_cell(changes["latitude"], changes["longitude"])
    sharing_before = camera.sharing_mode
    object_update(
        actor, camera, fields=[*CAMERA_FIELDS, "cell"], changes=changes, event="camera.update"
    )
    if sharing_before != camera.sharing_mode:
        _replace_consent(actor, camera, consent_captured_how)
    return camera


def _replace_consent(actor: Viewer, camera: Camera, how: str) -> None:
    camera.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    _grant_consent(actor, camera, CONSENT_TERMS, how)


@transaction.atomic
def consent_withdraw(actor: Viewer, camera: Camera, *, reason: str = "") -> Camera:
    """The custodian withdraws consent: no new footage request reaches this camera."""
    if actor != camera.custodian_user:
        require_perm(actor, "cameras.change_camera", camera.unit)
    now = timezone.now()
    count = camera.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    if not count:
        raise DomainError(_("This camera has no active consent to withdraw."), field="consent")
    _set_consent_flag(camera, False)
    audit_record(actor, "camera.consent_withdraw", camera, reason=reason)
    return camera


@transaction.atomic
def consent_grant(
    actor: Viewer, *, camera: Camera, captured_how: str, terms_version: str = CONSENT_TERMS
) -> ConsentRecord:
    """Record fresh consent for the camera's current sharing mode."""
    require_perm(actor, "cameras.change_camera", camera.unit)
    check_choice(captured_how, ConsentCapture, "captured_how")
    camera.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    consent = _grant_consent(actor, camera, terms_version, captured_how)
    audit_record(actor, "camera.consent_grant", camera)
    return consent


@transaction.atomic
def camera_verify(
    actor: Viewer, camera: Camera, *, clock_offset_s: int, on: dt.date | None = None
) -> Camera:
    """Record that someone checked the camera works today and measured its clock."""
    return camera_update(
        actor,
        camera,
        last_verified=on or timezone.localdate(),
        clock_offset_s=clock_offset_s,
    )


@transaction.atomic
def camera_deregister(actor: Viewer, camera: Camera, *, reason: str = "") -> Camera:
    """Retire a camera and end its consent; the record stays for the requests that used it."""
    require_perm(actor, "cameras.delete_camera", camera.unit)
    camera.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    _set_consent_flag(camera, False)
    camera.status = CameraStatus.RETIRED
    camera.save(update_fields=["status"])
    audit_record(actor, "camera.deregister", camera, reason=reason)
    return camera


CAMPAIGN_FIELDS = [
    "title",
    "goal_vnd",
    "starts_on",
    "ends_on",
    "organiser_kind",
    "organiser_label",
]


def _check_campaign(values: dict[str, Any]) -> None:
    if not str(values["title"]).strip():
        raise DomainError(_("Give the campaign a title."), field="title")
    check_positive(values["goal_vnd"], "goal_vnd")
    check_choice(values["organiser_kind"], OrganiserKind, "organiser_kind")
    if values["ends_on"] and values["ends_on"] < values["starts_on"]:
        raise DomainError(_("The campaign cannot end before it starts."), field="ends_on")


@transaction.atomic
def campaign_create(
    actor: Viewer,
    *,
    unit: Any,
    title: str,
    goal_vnd: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    organiser_kind: str = OrganiserKind.FRONT,
    organiser_label: str = "",
) -> Campaign:
    """Open a fund-raising campaign for a neighbourhood or ward."""
    require_perm(actor, "cameras.add_campaign", unit)
    _require_local_unit(unit, starts_on)
    _check_campaign(
        {
            "title": title,
            "goal_vnd": goal_vnd,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "organiser_kind": organiser_kind,
        }
    )
    campaign = Campaign.objects.create(
        unit=unit,
        title=title.strip(),
        goal_vnd=goal_vnd,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser_kind=organiser_kind,
        organiser_label=organiser_label,
    )
    audit_record(actor, "campaign.create", campaign)
    return campaign


@transaction.atomic
def campaign_update(actor: Viewer, campaign: Campaign, **changes: Any) -> Campaign:
    """Change a campaign's title, goal, period or organiser; the ledger must still fit the period."""
    require_perm(actor, "cameras.change_campaign", campaign.unit)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise DomainError(_("Unknown campaign fields: {names}.").format(names=", ".join(unknown)))
    starts_before = campaign.starts_on

    def check(changed: Campaign) -> None:
        _check_campaign(model_fields(changed, CAMPAIGN_FIELDS))
        if changed.starts_on != starts_before:
            _require_local_unit(changed.unit, changed.starts_on)
        _check_ledger_fits(changed, changed.starts_on, changed.ends_on)

    object_update(
        actor,
        campaign,
        fields=CAMPAIGN_FIELDS,
        changes=changes,
        check=check,
        event="campaign.update",
    )
    return campaign


def _check_ledger_fits(campaign: Campaign, starts_on: dt.date, ends_on: dt.date | None) -> None:
    gifts = campaign.contributions.counted()
    early = (
        gifts.filter(date__lt=starts_on).count()
        + campaign.expenses.counted().filter(date__lt=starts_on).count()
    )
    late = gifts.filter(date__gt=ends_on).count() if ends_on else 0
    if early or late:
        raise DomainError(
            _(
                "{count} ledger entries fall outside the new period; void them or keep the period."
            ).format(count=early + late),
            field="starts_on" if early else "ends_on",
        )


def _void(actor: Viewer, entry: Any, perm: str, reason: str, action: str) -> Any:
    require_perm(actor, perm, entry.campaign.unit)
    if entry.voided_at is not None:
        raise Conflict(
            _("This entry was already voided on {date}.").format(
                date=timezone.localtime(entry.voided_at).date().isoformat()
            ),
            field="reason",
        )
    if not reason.strip():
        raise DomainError(_("Say why the entry is voided."), field="reason")
    entry.voided_at = timezone.now()
    entry.voided_by = actor
    entry.void_reason = reason.strip()[:500]
    entry.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor,
        action,
        entry,
        unit=entry.campaign.unit,
        reason=entry.void_reason,
        changes={"amount_vnd": entry.amount_vnd},
    )
    return entry


@transaction.atomic
def contribution_void(actor: Viewer, contribution: Contribution, *, reason: str) -> Contribution:
    """Void a wrong contribution: it stays in the ledger, struck through, out of every total."""
    return _void(actor, contribution, "cameras.change_contribution", reason, "contribution.void")


@transaction.atomic
def expense_void(actor: Viewer, expense: Expense, *, reason: str) -> Expense:
    """Void a wrong expense: it stays in the ledger, struck through, out of every total."""
    return _void(actor, expense, "cameras.change_expense", reason, "expense.void")


def _check_unit_existed(campaign: Campaign, day: dt.date) -> None:
    if not campaign.unit.is_valid_on(day):
        raise DomainError(
            _(
                "{unit} did not exist on {date}; record it under a campaign of the unit valid then."
            ).format(unit=campaign.unit, date=day.isoformat()),
            field="date",
        )


def _check_in_period(campaign: Campaign, day: dt.date) -> None:
    _check_unit_existed(campaign, day)
    if day < campaign.starts_on or (campaign.ends_on and day > campaign.ends_on):
        raise DomainError(
            _("{date} is outside the campaign's period.").format(date=day.isoformat()),
            field="date",
        )


@transaction.atomic
def contribution_record(
    actor: Viewer,
    *,
    campaign: Campaign,
    amount_vnd: int,
    date: dt.date,
    donor_name: str = "",
    household: Any = None,
    receipt_no: str = "",
    listing: str = Listing.PUBLIC,
) -> Contribution:
    """Add money received to a campaign's ledger."""
    require_perm(actor, "cameras.add_contribution", campaign.unit)
    check_positive(amount_vnd, "amount_vnd")
    check_choice(listing, Listing, "listing")
    _check_in_period(campaign, date)
    if not donor_name.strip() and household is None:
        raise DomainError(_("Name the donor or choose the household."), field="donor_name")
    if receipt_no and campaign.contributions.counted().filter(receipt_no=receipt_no).exists():
        raise Conflict(
            _("Receipt {number} is already recorded.").format(number=receipt_no),
            field="receipt_no",
        )
    contribution = Contribution.objects.create(
        campaign=campaign,
        amount_vnd=amount_vnd,
        date=date,
        donor_name=donor_name.strip() or str(household),
        household=household,
        receipt_no=receipt_no,
        listing=listing,
    )
    audit_record(actor, "contribution.record", contribution, unit=campaign.unit)
    return contribution


@transaction.atomic
def expense_record(
    actor: Viewer,
    *,
    campaign: Campaign,
    kind: str,
    amount_vnd: int,
    date: dt.date,
    description: str = "",
    camera: Camera | None = None,
) -> Expense:
    """Record money a campaign spent."""
    require_perm(actor, "cameras.add_expense", campaign.unit)
    check_positive(amount_vnd, "amount_vnd")
    check_choice(kind, ExpenseKind, "kind")
    if date < campaign.starts_on:
        raise DomainError(_("The expense predates the campaign."), field="date")
    _check_unit_existed(campaign, date)
    expense = Expense.objects.create(
        campaign=campaign,
        kind=kind,
        amount_vnd=amount_vnd,
        date=date,
        description=description,
        camera=camera,
    )
    audit_record(actor, "expense.record", expense, unit=campaign.unit)
    return expense


# --- custodian accounts -----------------------------------------------------------------------
INVITE_DAYS = 14


def _invite_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invite_channel(contact: str) -> str:
    return ContactChannel.EMAIL if "@" in contact else ContactChannel.SMS


@transaction.atomic
def custodian_invite(
    actor: Viewer, *, camera: Camera, contact: str = ""
) -> tuple[CustodianInvite, str]:
    """Send the custodian a one-time link (SMS or email) to open their account for ``camera``.

    Returns the invitation and its token (shown once to the officer to copy); earlier unused
    invitations for the camera stop working.
    """
    require_perm(actor, "cameras.change_camera", camera.unit)
    contact = (contact or camera.contact).strip()
    if not contact:
        raise DomainError(_("Give the custodian's phone number or email address."), field="contact")
    channel = _invite_channel(contact)
    if channel == ContactChannel.EMAIL:
        try:
            validate_email(contact)
        except ValidationError as exc:
            raise DomainError(
                _("“{value}” is not a valid email address.").format(value=contact),
                field="contact",
            ) from exc
    now = timezone.now()
    camera.invites.filter(accepted_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(24)
    invite = CustodianInvite.objects.create(
        camera=camera,
        contact=contact,
        channel=channel,
        token_hash=_invite_hash(token),
        expires_at=now + dt.timedelta(days=INVITE_DAYS),
        created_by=actor,
    )
    audit_record(actor, "camera.custodian_invite", camera, changes={"channel": channel})
    from safeward.cameras.tasks import send_custodian_invite

    transaction.on_commit(lambda: send_custodian_invite.enqueue(invite.pk, token))
    return invite, token


def _current_ward(unit: Any) -> Any:
    """The ward the camera's unit lies in today (through the 2025 successions if need be)."""
    from safeward.geo.queries import successor_on

    ward = unit if unit.level == UnitLevel.WARD else unit.parent
    today = timezone.localdate()
    if ward.is_valid_on(today):
        return ward
    return successor_on(ward, today) or ward


def custodian_invite_open(token: str) -> CustodianInvite:
    """The live invitation for ``token``; a spent, expired or unknown one reads as missing."""
    invite = (
        CustodianInvite.objects.select_related("camera", "camera__unit")
        .filter(token_hash=_invite_hash(token or ""), accepted_at__isnull=True)
        .first()
    )
    if invite is None or invite.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation link is no longer valid; ask the ward police for a new one."),
            code="invite_invalid",
        )
    return invite


@transaction.atomic
def custodian_invite_accept(
    token: str, *, user: Any = None, username: str = "", password: str = ""
) -> Any:
    """Tie the camera to the signed-in ``user``, or to a new resident account; audited."""
    from safeward.accounts.models import Role
    from safeward.accounts.roles import RESIDENT
    from safeward.accounts.services import role_assign, user_create

    invite = custodian_invite_open(token)
    camera = invite.camera
    if user is None or not user.is_authenticated:
        email = invite.contact if invite.channel == ContactChannel.EMAIL else ""
        phone = invite.contact if invite.channel == ContactChannel.SMS else ""
        user = user_create(None, username=username, password=password, email=email, phone=phone)
        role_assign(
            None,
            user=user,
            role=Role.objects.get(code=RESIDENT),
            unit=_current_ward(camera.unit),
            check_actor=False,
        )
    camera.custodian_user = user
    camera.save(update_fields=["custodian_user"])
    invite.accepted_at, invite.accepted_by = timezone.now(), user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(user, "camera.custodian_accept", camera, changes={"custodian_user": user.pk})
    return user
