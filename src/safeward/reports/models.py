"""Citizen reports: the service catalogue, reports, reporters, timeline, messages, routing."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from safeward.core.querysets import ScopedManager
from safeward.reports.choices import (
    OPEN_STATUSES,
    AttributeType,
    Channel,
    EventKind,
    LegalTrack,
    MessageSender,
    Outcome,
    Priority,
    ReportStatus,
)
from safeward.reports.querysets import ReportQuerySet, ServiceCategoryQuerySet


def _letters(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def normal_tracking_code(text: str) -> str:
    """A tracking code as typed (any case, with or without dashes or spaces, with or
    without the ``SW`` prefix) in its stored form, such as ``SW-AB2C-DE3F``; other text unchanged
    but for case and spaces, so it simply matches no report."""
    letters = _letters(text)
    if len(letters) == 8:
        letters = "SW" + letters
    if len(letters) == 10 and letters.startswith("SW"):
        return f"SW-{letters[2:6]}-{letters[6:]}"
    return text.strip().upper()


def normal_secret(text: str) -> str:
    """A secret as typed, in its issued form of two groups of five, such as ``AB2CD-EF3GH``."""
    letters = _letters(text)
    return f"{letters[:5]}-{letters[5:]}" if len(letters) == 10 else text.strip().upper()


def hash_secret(code: str, raw: str) -> str:
    """The stored form of a report's secret (salted with its tracking code)."""
    normalised = normal_secret(raw).replace(" ", "")
    return hashlib.sha256(f"safeward-report:{code}:{normalised}".encode()).hexdigest()


# The catalogue's texts are translated (see translation.py): its managers read and filter
# the reader's language.
ServiceCategoryManager = MultilingualManager.from_queryset(ServiceCategoryQuerySet)


class ServiceCategory(models.Model):
    """A kind of report a jurisdiction accepts (Open311 "service"), with its default legal track.

    A province defines its catalogue; wards and neighbourhoods below it inherit it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
        help_text=_("Empty means every jurisdiction."),
    )
    default_track = models.CharField(
        _("default legal track"), max_length=20, choices=LegalTrack.choices
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ServiceCategoryManager()
    scope_path_field = "jurisdiction__path"  # empty: the national catalogue (see the queryset)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit(self) -> Any:
        return self.jurisdiction


class CategoryAttribute(models.Model):
    """A custom question a category asks (Open311 service definition attribute)."""

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("question"), max_length=200)
    datatype = models.CharField(_("type"), max_length=20, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    values = models.JSONField(_("choices"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    objects: MultilingualManager[CategoryAttribute] = MultilingualManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="reports_attr_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.category.code}.{self.code}"

    def value_keys(self) -> list[str]:
        return [str(v["key"]) for v in self.values]

    def options(self) -> list[tuple[str, str]]:
        """The offered answers as (key, label in the reader's language)."""
        return [(str(v["key"]), option_label(v)) for v in self.values]

    def answer_text(self, answer: Any) -> str:
        """A stored answer as a reader reads it: the chosen options' labels, else the value."""
        labels = dict(self.options())
        answers = answer if isinstance(answer, list) else [answer]
        return ", ".join(labels.get(str(a), str(a)) for a in answers)


def option_label(option: dict[str, Any], language: str | None = None) -> str:
    """An answer's label in ``language`` (the reader's by default), else in Vietnamese (kept
    in ``name``, as Open311 clients read it), else in English, else its key."""
    lang = (language or get_language() or "vi").split("-")[0]
    for key in (f"name_{lang}", "name", "name_en"):
        if key != "name_vi" and option.get(key):
            return str(option[key])
    return str(option.get("key", ""))


ReportManager = models.Manager.from_queryset(ReportQuerySet)


class Report(models.Model):
    """One citizen report: what, where, when, through which channel; its track, clock and outcome.

    The reporter's identity lives apart in :class:`ReporterIdentity`. ``unit`` is
    the unit valid when the incident happened; ``unit_path`` copies its path for scoping.
    """

    scope_path_field = "unit_path"

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("category"),
        db_index=False,  # reports_cat_time_idx leads with it
    )
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    media_url = models.URLField(
        _("external media"),
        max_length=500,
        blank=True,
        help_text=_("A link the reporter gave (Open311 media_url); never fetched or checked."),
    )
    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    unit_path = models.CharField(max_length=255, editable=False)  # indexed in Meta
    ward = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ward"),
        editable=False,
        db_index=False,  # reports_ward_time_idx leads with it
    )
    occurred_at = models.DateTimeField(_("happened at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    track = models.CharField(_("legal track"), max_length=20, choices=LegalTrack.choices)
    due_on = models.DateField(_("decide by"), db_index=True)
    extension_reason = models.CharField(_("extension reason"), max_length=500, blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assignee"),
    )
    team = models.CharField(_("team"), max_length=80, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    public_note = models.TextField(_("public note"), max_length=4000, blank=True)
    internal_note = models.TextField(_("internal note"), max_length=4000, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("view_reporter", _("Can see who made a report"))]
        indexes = [
            models.Index(fields=["status", "due_on"], name="reports_status_due_idx"),
            models.Index(fields=["category", "received_at"], name="reports_cat_time_idx"),
            models.Index(fields=["ward", "received_at"], name="reports_ward_time_idx"),
            # One index serves subtree scoping on both databases: a LIKE prefix on
            # PostgreSQL (pattern operator class), a half-open range on SQLite.
            models.Index(
                fields=["unit_path"],
                name="reports_unit_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def public_status(self) -> str:
        """Open311's two states."""
        return "open" if self.is_open else "closed"

    def check_secret(self, raw: str) -> bool:
        return bool(raw) and hash_secret(self.tracking_code, raw) == self.secret_hash

    def answer_rows(self) -> list[tuple[str, str]]:
        """The answers to the category's questions as (question, answer) in the reader's
        language, in the questions' order; an answer to a question since removed keeps its code."""
        if not self.attributes:
            return []
        questions = {a.code: a for a in self.category.attributes.all()}
        rows = [
            (questions[code].description, questions[code].answer_text(self.attributes[code]))
            for code in questions
            if code in self.attributes
        ]
        rows += [(code, str(v)) for code, v in self.attributes.items() if code not in questions]
        return rows


class ReporterIdentity(models.Model):
    """Who made a named report. Readable only with ``reports.view_reporter``; every read is audited."""

    scope_path_field = "report__unit_path"

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reporter identity")
        verbose_name_plural = _("reporter identities")

    def __str__(self) -> str:
        return str(_("Reporter of {code}")).format(code=self.report.tracking_code)


class ReportEvent(models.Model):
    """One line of a report's timeline; ``public`` lines are shown to the reporter.

    A status line is public and carries only text written for the reporter (the
    public note); reasons and notes staff write for themselves are lines of their
    own with ``public`` false (see ``reports.services.workflow._change_status``).
    """

    scope_path_field = "report__unit_path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public = models.BooleanField(_("public"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"


class ReportMessage(models.Model):
    """A message between the reporter (possibly anonymous) and the handling officers."""

    scope_path_field = "report__unit_path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("from"), max_length=10, choices=MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=4000)
    at = models.DateTimeField(_("time"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")

    def __str__(self) -> str:
        return f"{self.report} {self.sender}"


class ReportAttachment(models.Model):
    """A photo (re-encoded, metadata stripped) or video attached to a report."""

    scope_path_field = "report__unit_path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name


class RoutingRule(models.Model):
    """Reports in ``unit``'s subtree (and of ``category``, when set) go to a team or officer."""

    unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("category"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    team = models.CharField(_("team"), max_length=80, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["unit__path", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.unit} {self.category or '*'} -> {self.assignee or self.team}"


class Open311Client(models.Model):
    """An application allowed to post Open311 requests with its ``api_key`` (stored hashed)."""

    name = models.CharField(_("name"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The report an ``Idempotency-Key`` already produced, per submitter."""

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=120)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="reports_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class RateCounter(models.Model):
    """Requests counted in one fixed window of a public rate limit, shared by every process.

    Used when no Redis is configured; rows past ``expires_at`` are dropped as new windows open.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
