"""Core models: the append-only, hash-chained audit trail, and background imports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import ImportJobQuerySet, ScopedManager


class AuditEvent(models.Model):
    """One change or sensitive read. Never updated or deleted (trigger-enforced).

    Events are appended without any lock; :class:`AuditSeal` rows chain them
    afterwards, in batches, so writers never wait on one another.
    """

    scope_path_field = "unit_path"

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    # Indexed in Meta: every index is one more write per event, so each serves a read.
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    sensitive_read = models.BooleanField(_("sensitive read"), default=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # Equality and prefix filters (``action__startswith``, subtree scoping) on both
            # databases: a pattern operator class on PostgreSQL, a plain index on SQLite.
            models.Index(
                fields=["action"], name="audit_action_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["unit_path"], name="audit_unit_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditSeal(models.Model):
    """Chains one audit event: ``hash = SHA-256(prev_hash || canonical(event))``. Insert-only."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"seal {self.seq} -> event {self.event_id}"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Writing rows")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Nothing imported")


class ImportJob(models.Model):
    """One uploaded file being imported in the background, and how far it got.

    Rows it writes carry ``pending_import`` until the last short transaction makes them
    visible, so a reader never sees half a file; ``errors`` keeps the first problems.
    """

    scope_path_field = "unit__path"

    # None for an import run from the command line (units from the package's dataset).
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("what the file holds"), max_length=32)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    # The uploader's language: the worker writes the row problems in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    partial = models.BooleanField(_("valid rows only"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    errors = models.JSONField(_("first problems"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moved on with every progress record: a running job whose worker died stops moving,
    # and the periodic tidy (``import_jobs_tidy``) closes it and removes its hidden rows.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    objects = models.Manager.from_queryset(ImportJobQuerySet)()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def percent(self) -> int:
        """How far the job is: checking is the first half, writing the second."""
        if self.status == ImportJobStatus.DONE:
            return 100
        total = max(self.rows_total, 1)
        return min(99, (50 * self.rows_checked + 50 * self.rows_written) // total)


class WorkerBeat(models.Model):
    """A task worker's sign of life: a task it claimed is lost once its beat goes stale."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task worker")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
