"""Footage requests, the custodians' answers, evidence clips and their custody chain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import ScopedManager
from safeward.evidence.choices import (
    Acquisition,
    CustodyAction,
    Decision,
    DeliveryAnswer,
    DeliveryFailure,
    DeliveryState,
    RequestStatus,
    Response,
    RetentionCategory,
)
from safeward.evidence.querysets import EvidenceQuerySet, FootageRequestQuerySet, TargetQuerySet


class FootageRequest(models.Model):
    """A ward officer's request for footage about one report, sent only after approval.

    ``unit``, the point and the incident time are copied from the report when the
    request is made, so the request stays readable as the report moves on.
    """

    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, related_name="+", verbose_name=_("report")
    )
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    ward = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("ward")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    incident_at = models.DateTimeField(_("incident time"))
    purpose = models.TextField(_("purpose"), max_length=2000)
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("to"))
    radius_m = models.PositiveIntegerField(_("radius (m)"))
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = models.Manager.from_queryset(FootageRequestQuerySet)()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("footage request")
        verbose_name_plural = _("footage requests")
        indexes = [models.Index(fields=["ward", "created_at"], name="footage_ward_month_idx")]

    def __str__(self) -> str:
        return str(_("Footage request #{id}")).format(id=self.pk)

    @property
    def window_minutes(self) -> int:
        return int((self.window_end - self.window_start).total_seconds() // 60)


class RequestTarget(models.Model):
    """One camera a request asks for, and its custodian's answer. Declining is always allowed."""

    scope_path_field = "request__unit__path"

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="targets")
    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.PROTECT, related_name="footage_targets"
    )
    distance_m = models.FloatField(_("distance (m)"))
    kept_until = models.DateTimeField(_("footage kept until"))
    response = models.CharField(
        _("answer"), max_length=16, choices=Response.choices, default=Response.WAITING
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    upload_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    upload_token_expires = models.DateTimeField(null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(TargetQuerySet)()

    class Meta:
        ordering = ["distance_m", "id"]
        verbose_name = _("requested camera")
        verbose_name_plural = _("requested cameras")
        constraints = [
            models.UniqueConstraint(fields=["request", "camera"], name="target_unique_camera")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.camera_id}"

    @property
    def audit_unit(self) -> object:
        return self.request.unit


class Delivery(models.Model):
    """One attempt to bring a requested camera's one-time link to its custodian.

    The state is set only by the step that happened: the sending task (sent or failed),
    the custodian's link page (opened), the answer or the clip (answered). A new attempt
    revokes the previous one, whose link stops working. The link is derived from
    ``nonce`` and the site's secret key, so the database alone does not give it away.
    """

    scope_path_field = "target__request__unit__path"

    target = models.ForeignKey(RequestTarget, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    failure = models.CharField(
        _("reason"), max_length=16, choices=DeliveryFailure.choices, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    answer = models.CharField(
        _("answer"), max_length=16, choices=DeliveryAnswer.choices, blank=True
    )
    nonce = models.CharField(max_length=32, editable=False)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("link revoked at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["target_id", "attempt"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["target", "attempt"], name="delivery_unique_attempt")
        ]

    def __str__(self) -> str:
        return f"{self.target_id}#{self.attempt} {self.state}"

    @property
    def audit_unit(self) -> object:
        return self.target.request.unit

    @property
    def state_at(self) -> object:
        """When the delivery reached its present state."""
        return {
            DeliveryState.SENT: self.sent_at,
            DeliveryState.FAILED: self.failed_at,
            DeliveryState.OPENED: self.opened_at,
            DeliveryState.ANSWERED: self.answered_at,
        }.get(self.state, self.queued_at)  # type: ignore[call-overload]


class Approval(models.Model):
    """A second person's decision on a footage request."""

    scope_path_field = "request__unit__path"

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["request", "approver"], name="approval_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.decision}"

    @property
    def audit_unit(self) -> object:
        return self.request.unit


class EvidenceItem(models.Model):
    """A clip received with its SHA-256; the original file is written once and never replaced.

    Derived copies for viewing are separate items pointing at ``derived_from``.
    """

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        FootageRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    target = models.ForeignKey(
        RequestTarget, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    derived_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("original name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    clock_offset_s = models.IntegerField(_("recorder clock offset (s)"), default=0)
    recorded_start = models.DateTimeField(_("recorder start time"))
    recorded_end = models.DateTimeField(_("recorder end time"))
    corrected_start = models.DateTimeField(_("corrected start"))
    corrected_end = models.DateTimeField(_("corrected end"))
    acquisition = models.CharField(_("acquisition"), max_length=24, choices=Acquisition.choices)
    minutes_reference = models.CharField(_("minutes reference"), max_length=60, blank=True)
    outside_window = models.BooleanField(_("outside the approved window"), default=False)
    reason_outside_window = models.CharField(
        _("reason for keeping footage outside the window"), max_length=500, blank=True
    )
    retention = models.CharField(
        _("retention"),
        max_length=16,
        choices=RetentionCategory.choices,
        default=RetentionCategory.SHORT,
    )
    retain_until = models.DateTimeField(_("keep until"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    objects = models.Manager.from_queryset(EvidenceQuerySet)()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")

    def __str__(self) -> str:
        return str(_("Evidence #{id}")).format(id=self.pk)


class CustodyEvent(models.Model):
    """One touch of an evidence item; ``hash = SHA-256(prev_hash || canonical(event))`` per item.

    Rows are only ever inserted (see :func:`safeward.evidence.services.custody.custody_append`).
    """

    scope_path_field = "item__unit__path"

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("action"), max_length=24, choices=CustodyAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ScopedManager()

    class Meta:
        ordering = ["item_id", "seq"]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        constraints = [models.UniqueConstraint(fields=["item", "seq"], name="custody_unique_seq")]

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq} {self.action}"

    @property
    def audit_unit(self) -> object:
        return self.item.unit
