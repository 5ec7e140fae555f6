"""Core models: the append-only, hash-chained audit trail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import ScopedManager


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
