"""Propaganda sessions, social-media posts, training courses and their participants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeward.community.querysets import UnitScopedManager
from safeward.core.files import safe_filename
from safeward.core.querysets import pending_import_field, pending_visible
from safeward.outreach.choices import (
    CourseResult,
    Organiser,
    Platform,
    PostKind,
    SessionForm,
    SessionStatus,
    Topic,
)


class VisibleUnitScopedManager(UnitScopedManager):  # type: ignore[misc,valid-type]
    """Hides the rows of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(pending_visible())


class Session(models.Model):
    """A propaganda session: where, when, on what, in what form, for how many people.

    ``attendance`` is the head count; ``attendees`` is the roster when it is known
    (then the count is at least the roster's size).
    """

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    form = models.CharField(
        _("form"), max_length=16, choices=SessionForm.choices, default=SessionForm.IN_PERSON
    )
    organisers = models.JSONField(_("organisers"), default=list, blank=True)
    audience = models.CharField(_("target audience"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.HELD
    )
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    attendees = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("attendees")
    )
    households = models.ManyToManyField(
        "people.Household", blank=True, related_name="+", verbose_name=_("households")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = VisibleUnitScopedManager()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("outreach session")
        verbose_name_plural = _("outreach sessions")
        indexes = [models.Index(fields=["date", "topic"], name="session_date_topic_idx")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.place} · {self.date}"

    def organiser_labels(self) -> list[str]:
        labels = dict(Organiser.choices)
        return [str(labels.get(code, code)) for code in self.organisers]


class SessionMaterial(models.Model):
    """A file handed out or shown at a session (leaflet, slides, video)."""

    scope_path_field = "session__unit__path"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="outreach/materials/%Y/%m/")
    # Sniffed from the content when it was stored; the download answers with this type.
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_unit(self) -> Any:
        return self.session.unit

    @property
    def download_name(self) -> str:
        return safe_filename(self.title, Path(self.file.name or "").suffix.lstrip("."), "material")


class SocialPost(models.Model):
    """A social-media post or livestream and its reach, entered by staff."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices, default="post")
    url = models.URLField(_("link"), max_length=500)
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    reach = models.PositiveIntegerField(_("reach"), default=0)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("social-media post")
        verbose_name_plural = _("social-media posts")
        constraints = [models.UniqueConstraint(fields=["url"], name="socialpost_unique_url")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.date}"


class Course(models.Model):
    """A training course for group leaders and members."""

    period_field = "start_date"

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    topics = models.TextField(_("curriculum topics"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200)
    trainers = models.CharField(_("trainers"), max_length=300, blank=True)
    organiser = models.CharField(
        _("organiser"), max_length=16, choices=Organiser.choices, default=Organiser.POLICE
    )
    requires_group_role = models.BooleanField(
        _("participants must belong to a group"),
        default=True,
        help_text=_("Only leaders and members of self-managed groups may take part."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedManager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="course_dates_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def days(self) -> list[dt.date]:
        span = (self.end_date - self.start_date).days
        return [self.start_date + dt.timedelta(days=i) for i in range(span + 1)]


class Participant(models.Model):
    """A person on a course (with their group), the days attended and the result."""

    scope_path_field = "course__unit__path"
    period_field = "course__start_date"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        "community.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    days_attended = models.JSONField(_("days attended"), default=list, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=CourseResult.choices, default=CourseResult.PENDING
    )
    completed = models.BooleanField(_("completed"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = VisibleUnitScopedManager()

    class Meta:
        ordering = ["course_id", "person__full_name"]
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="participant_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"

    @property
    def audit_unit(self) -> Any:
        return self.course.unit
