"""Bulletins, their audiences and texts, restricted cohorts, subscriptions and deliveries."""

from __future__ import annotations

import secrets
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from safeward.core.querysets import ScopedQuerySet

VIEW_RESTRICTED = "bulletins.view_restricted_cohort"
APPROVE = "bulletins.approve_bulletin"


class CohortQuerySet(ScopedQuerySet[Any]):
    """Restricted cohorts answer only to their own permission, whatever the action."""

    def restrict(self, user: Any, action: str = "view", *, of: Any = None) -> Self:
        from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes

        prefixes = scope_prefixes(user, VIEW_RESTRICTED)
        if prefixes is UNRESTRICTED:
            return self
        if not prefixes:
            return self.none()
        field = getattr(self.model, "scope_path_field", "unit__path")
        scoped = self.filter(path_q(field, prefixes))
        if action == "view":
            return scoped
        return scoped.filter(pk__in=ScopedQuerySet(self.model).restrict(user, action).values("pk"))


class DeliveryQuerySet(ScopedQuerySet[Any]):
    """Deliveries in scope; those to a restricted cohort only for its keepers.

    A delivery names its recipient and the audience that reached them, so a delivery to a
    cohort says who is in it: whoever may not see the cohort may not see that row either.
    """

    def narrow(self, user: Any, action: str) -> Self:
        from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes

        keepers = scope_prefixes(user, VIEW_RESTRICTED)
        if keepers is UNRESTRICTED:
            return self
        cohort = Q(audience_kind=AudienceKind.COHORT)
        if not keepers:
            return self.exclude(cohort)
        return self.exclude(cohort & ~path_q("bulletin__unit__path", keepers))


class Cohort(models.Model):
    """A restricted cohort kept by the ward police: who is in it is sensitive personal data.

    ``neutral_wording`` is what a member reads as the reason they receive a bulletin; it
    must not reveal the cohort (checked when a bulletin to it is approved).
    """

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CohortKind.choices)
    name = models.CharField(_("name"), max_length=150)
    neutral_wording = models.CharField(
        _("what recipients read"),
        max_length=200,
        help_text=_("e.g. “Information for residents of Cửa Ông ward”; never the cohort's name"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(CohortQuerySet)()

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = _("restricted cohort")
        verbose_name_plural = _("restricted cohorts")
        permissions = [
            ("view_restricted_cohort", _("Can see restricted cohorts and who is in them")),
        ]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    scope_path_field = "cohort__unit__path"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    added_on = models.DateField(_("added on"), default=timezone.localdate)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(CohortQuerySet)()

    class Meta:
        ordering = ["cohort_id", "person_id"]
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                condition=Q(removed_on__isnull=True),
                name="cohortmember_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} · {self.person_id}"

    @property
    def audit_unit(self) -> Any:
        return self.cohort.unit


class Subscription(models.Model):
    """A resident's choice of public bulletins: topics, channels and quiet hours."""

    scope_path_field = "person__unit__path"

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="bulletin_subscription"
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)  # CAP categories; [] = all
    channels = models.JSONField(_("channels"), default=list, blank=True)  # [] = every consented
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    token = models.CharField(max_length=43, unique=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("bulletin subscription")
        verbose_name_plural = _("bulletin subscriptions")

    def __str__(self) -> str:
        return f"{self.person_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def audit_unit(self) -> Any:
        return self.person.unit


class Bulletin(models.Model):
    """One bulletin and its CAP 1.2 header; the texts per language are ``BulletinText``."""

    period_field = "sent_at"

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    identifier = models.CharField(max_length=80, unique=True, editable=False)
    msg_type = models.CharField(
        _("type"), max_length=8, choices=MsgType.choices, default=MsgType.ALERT
    )
    references = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("changes bulletin"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    event = models.CharField(_("event"), max_length=120)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices)
    area_units = models.ManyToManyField(
        "geo.AdminUnit", blank=True, related_name="+", verbose_name=_("area")
    )
    # Points as [[lat, lon], ...], closed; circles as [[lat, lon, radius_km], ...].
    area_polygon = models.JSONField(_("polygon"), default=list, blank=True)
    area_circles = models.JSONField(_("circles"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Deliveries are created in one pass after sending: ``fanning_at`` is that pass's last
    # sign of life (a pass silent for a lease is resumed), ``fanned_out_at`` its end.
    fanning_at = models.DateTimeField(null=True, blank=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        permissions = [("approve_bulletin", _("Can approve bulletins to restricted cohorts"))]
        indexes = [models.Index(fields=["status", "expires_at"], name="bulletin_status_exp_idx")]

    def __str__(self) -> str:
        # The Vietnamese headline (every bulletin has one), else any.
        texts = {t.language: t.headline for t in self.texts.all()} if self.pk else {}
        return texts.get("vi") or next(iter(texts.values()), self.event)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.identifier:
            self.identifier = f"safeward-{secrets.token_hex(12)}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("bulletins:bulletin", args=[self.pk])

    @property
    def is_restricted(self) -> bool:
        return self.audiences.filter(kind=AudienceKind.COHORT).exists()

    @property
    def is_public(self) -> bool:
        return not self.audiences.exclude(kind=AudienceKind.UNIT).exists()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class BulletinText(models.Model):
    scope_path_field = "bulletin__unit__path"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("text"))
    instruction = models.TextField(_("instructions"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["bulletin_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "language"], name="bulletintext_lang")
        ]

    def __str__(self) -> str:
        return self.headline


class BulletinAudience(models.Model):
    scope_path_field = "bulletin__unit__path"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="audiences")
    kind = models.CharField(_("audience"), max_length=8, choices=AudienceKind.choices)
    unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "community.Group", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["bulletin_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="unit", unit__isnull=False, group__isnull=True, cohort__isnull=True)
                    | Q(kind="group", unit__isnull=True, group__isnull=False, cohort__isnull=True)
                    | Q(kind="cohort", unit__isnull=True, group__isnull=True, cohort__isnull=False)
                ),
                name="bulletinaudience_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id} · {self.kind}"


class WebhookEndpoint(models.Model):
    """Another system that receives a unit's bulletins as signed CAP documents."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"))
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.secret:
            self.secret = secrets.token_hex(32)
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """One message to one recipient on one channel, sent exactly once.

    ``key`` is unique: creating the deliveries again (a fan-out restarted after its worker
    died) adds nothing. A sender claims a row by moving it from queued to sending with its
    own ``claimed_by`` and a lease; it completes it only while it still holds the claim. The
    key goes to the gateway as its idempotency key, so a message sent but not recorded
    (the worker killed between the two) is not sent twice when the lease runs out.
    """

    scope_path_field = "bulletin__unit__path"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    audience_kind = models.CharField(max_length=8, choices=AudienceKind.choices)
    key = models.CharField(max_length=100, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = models.Manager.from_queryset(DeliveryQuerySet)()

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["state", "not_before"], name="delivery_due_idx"),
            models.Index(fields=["bulletin", "state"], name="delivery_bulletin_state_idx"),
            models.Index(fields=["person", "channel"], name="delivery_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def audit_unit(self) -> Any:
        return self.bulletin.unit
