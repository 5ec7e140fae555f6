"""Community cameras, the consents behind them, and the campaigns that pay for them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.cameras.choices import (
    CameraStatus,
    ConsentCapture,
    ContactChannel,
    CustodianKind,
    ExpenseKind,
    Listing,
    OrganiserKind,
    RecordingMode,
    SharingMode,
)
from safeward.cameras.querysets import CameraQuerySet, LedgerQuerySet
from safeward.core.querysets import (
    PendingHiddenManager,
    ScopedManager,
    ScopedQuerySet,
    pending_import_field,
    pending_visible,
)


class CameraManager(models.Manager.from_queryset(CameraQuerySet)):  # type: ignore[misc]
    """Hides the rows of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> CameraQuerySet:
        return super().get_queryset().filter(pending_visible())  # type: ignore[no-any-return]


# Hide the contributions and consents of an import still being written (``core.importing``).
ContributionManager = PendingHiddenManager.from_queryset(LedgerQuerySet)
ConsentRecordManager = PendingHiddenManager.from_queryset(ScopedQuerySet)


class Camera(models.Model):
    """A camera kept by a household, business or residents' group, and what it can see.

    ``cell`` is the grid cell of the point (see :mod:`safeward.cameras.grid`) and
    ``consent_active`` mirrors the open :class:`ConsentRecord`; the services keep both in
    step so the lookup reads one indexed table. No brand or serial number is stored.
    """

    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    custodian_kind = models.CharField(
        _("custodian kind"), max_length=16, choices=CustodianKind.choices
    )
    custodian_label = models.CharField(_("custodian"), max_length=120)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=16,
        choices=ContactChannel.choices,
        default=ContactChannel.IN_APP,
    )
    custodian_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="custodied_cameras",
        verbose_name=_("custodian account"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(editable=False, db_index=True)
    bearing = models.FloatField(_("bearing (degrees)"), default=0.0)
    fov = models.FloatField(_("field of view (degrees)"), default=90.0)
    range_m = models.PositiveIntegerField(_("range (m)"), default=30)
    recording_mode = models.CharField(
        _("recording mode"),
        max_length=16,
        choices=RecordingMode.choices,
        default=RecordingMode.CONTINUOUS,
    )
    retention_days = models.PositiveSmallIntegerField(_("retention (days)"), default=7)
    sharing_mode = models.CharField(
        _("sharing mode"),
        max_length=16,
        choices=SharingMode.choices,
        default=SharingMode.ON_REQUEST,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CameraStatus.choices, default=CameraStatus.WORKING
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    clock_offset_s = models.IntegerField(_("clock offset (s)"), default=0)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    cost_vnd = models.PositiveBigIntegerField(_("cost (VND)"), default=0)
    signage_confirmed = models.BooleanField(_("signage confirmed"), default=False)
    consent_active = models.BooleanField(_("consent active"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = CameraManager()

    class Meta:
        ordering = ["unit__path", "id"]
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        permissions = [
            ("view_custodian_contact", _("Can see who keeps a camera and how to reach them"))
        ]
        indexes = [
            # Covers the lookup's prefilter (an index-only scan), so rejected rows never
            # touch the table; SQLite carries the id in every index anyway.
            models.Index(
                fields=[
                    "cell",
                    "status",
                    "consent_active",
                    "sharing_mode",
                    "latitude",
                    "longitude",
                    "range_m",
                    "retention_days",
                    "installed_on",
                    "bearing",
                    "fov",
                ],
                include=["id"],
                name="camera_lookup_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bearing__gte=0) & Q(bearing__lte=360), name="camera_bearing_range"
            ),
            models.CheckConstraint(
                condition=Q(fov__gt=0) & Q(fov__lte=360), name="camera_fov_range"
            ),
        ]

    def __str__(self) -> str:
        # Neutral: a camera is rendered in selects, audit lines and exports read by roles
        # that may not know who keeps it (that is CUSTODIAN in safeward.cameras.contacts).
        return f"#{self.pk} {self.get_custodian_kind_display()}"

    @property
    def audit_unit(self) -> object:
        return self.unit

    def kept_until(self, when: dt.datetime) -> dt.datetime:
        """When footage recorded at ``when`` is overwritten."""
        return when + dt.timedelta(days=self.retention_days)


class ConsentRecord(models.Model):
    """The custodian's consent to list or share a camera; withdrawing it stops new requests."""

    scope_path_field = "camera__unit__path"

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="consents")
    terms_version = models.CharField(_("terms version"), max_length=20)
    scope = models.CharField(_("scope"), max_length=16, choices=SharingMode.choices)
    granted_at = models.DateTimeField(_("granted at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    captured_how = models.CharField(
        _("captured how"), max_length=16, choices=ConsentCapture.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set while an import of its camera is still writing: hidden with the camera until then.
    pending_import = pending_import_field()

    objects = ConsentRecordManager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["camera", "withdrawn_at"], name="consent_active_idx")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.scope} v{self.terms_version}"

    @property
    def audit_unit(self) -> object:
        return self.camera.unit

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Campaign(models.Model):
    """A fund-raising campaign for cameras in a neighbourhood or ward."""

    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=160)
    goal_vnd = models.PositiveBigIntegerField(_("goal (VND)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    organiser_kind = models.CharField(
        _("organiser"), max_length=16, choices=OrganiserKind.choices, default=OrganiserKind.FRONT
    )
    organiser_label = models.CharField(_("organiser name"), max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [("view_campaign_organiser", _("Can see who organises a camera campaign"))]

    def __str__(self) -> str:
        return self.title


class LedgerEntry(models.Model):
    """A line of a campaign's ledger. Entries are never edited: a wrong one is voided (kept,
    shown struck through, left out of every total) and the correction is a new entry."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Contribution(LedgerEntry):
    """Money given to a campaign by a household or a donor, in integer VND."""

    scope_path_field = "campaign__unit__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="contributions")
    household = models.ForeignKey(
        "people.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    donor_name = models.CharField(_("donor"), max_length=160, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    date = models.DateField(_("date"))
    receipt_no = models.CharField(_("receipt number"), max_length=40, blank=True)
    listing = models.CharField(
        _("listing"), max_length=16, choices=Listing.choices, default=Listing.PUBLIC
    )
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = ContributionManager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            # A voided entry keeps its receipt number; the corrected entry may reuse it.
            models.UniqueConstraint(
                fields=["campaign", "receipt_no"],
                condition=~Q(receipt_no="") & Q(voided_at__isnull=True),
                name="contribution_unique_receipt",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_vnd:,} VND"

    @property
    def audit_unit(self) -> object:
        return self.campaign.unit

    @property
    def public_name(self) -> str:
        return str(_("Anonymous")) if self.listing == Listing.ANONYMOUS else self.donor_name


class Expense(LedgerEntry):
    """Money a campaign spent: cameras, installation, repairs."""

    scope_path_field = "campaign__unit__path"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="expenses")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenseKind.choices)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    camera = models.ForeignKey(
        Camera, on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses"
    )

    objects = models.Manager.from_queryset(LedgerQuerySet)()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_vnd:,} VND"

    @property
    def audit_unit(self) -> object:
        return self.campaign.unit


class CustodianInvite(models.Model):
    """A one-time link that lets a camera's custodian open their own account and log.

    Only the token's hash is kept; accepting ties the (new or signed-in) account to the camera.
    """

    scope_path_field = "camera__unit__path"

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="invites")
    contact = models.CharField(_("contact"), max_length=120)
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("custodian invitation")
        verbose_name_plural = _("custodian invitations")

    def __str__(self) -> str:
        return f"{self.camera_id} → {self.channel}"

    @property
    def audit_unit(self) -> object:
        return self.camera.unit
