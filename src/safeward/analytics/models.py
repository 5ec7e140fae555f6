"""Rollup tables, their fill state, periodic report records and the synthetic fact table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeward.analytics.choices import ReportFormat, ReportStatus
from safeward.analytics.registry import Period
from safeward.core.querysets import ScopedQuerySet


class RollupValue(models.Model):
    """The facts of one indicator in one unit's subtree over one period, for one dimension combination.

    Rows exist for the unit a fact was recorded under *and every ancestor* (so a
    subtree total is one row) and for every period kind from the indicator's
    finest up. ``value`` sums the fact values, ``count`` counts facts;
    ``bucket`` holds the integer value of a median indicator's fact or the key
    of a distinct-count indicator's fact (0 otherwise).

    The cell's key is the primary key: a rebuild writes millions of rows, and a
    surrogate id would add a sequence step and a second index entry to each.
    """

    # Column order serves the reads too: indicator, kind, units, period range.
    pk = models.CompositePrimaryKey(
        "indicator", "period_kind", "unit", "period_start", "dims_key", "bucket"
    )
    indicator = models.CharField(max_length=80)
    # Derived rows, millions of them written by one rebuild: no database-level foreign key
    # check or separate unit index (the primary key leads with the columns reads use).
    unit = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period_kind = models.CharField(max_length=8, choices=Period.choices)
    period_start = models.DateField()
    dims_key = models.CharField(max_length=400, default="{}")
    bucket = models.BigIntegerField(default=0)
    value = models.FloatField(default=0)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.period_kind} {self.period_start}"


class FillState(models.Model):
    """When an indicator's rollups were last rebuilt, up to which day, and which audit events they include.

    ``audit_seq`` is the watermark: the highest audit seal sequence whose changes
    are folded in (``None``: never brought up to date from the audit trail).
    ``current_at`` is the figures' freshness: every change sealed by then is in them.
    """

    indicator = models.CharField(max_length=80, unique=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    filled_through = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    audit_seq = models.PositiveBigIntegerField(default=None, null=True, blank=True)
    current_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.indicator} @ {self.filled_through}"


class PeriodicReportQuerySet(ScopedQuerySet):
    def newest_first(self) -> PeriodicReportQuerySet:
        return self.order_by("-created_at", "-pk")


class PeriodicReport(models.Model):
    """A generated XLSX or PDF report for one unit and date range, built by a background task."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    fmt = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="analytics/reports/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")

    def __str__(self) -> str:
        return f"{self.unit} {self.date_from}..{self.date_to} ({self.fmt})"


class SyntheticFact(models.Model):
    """Generated facts for the rollup benchmark and the engine's own tests (never shown to users)."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=40)
    status = models.CharField(max_length=20)
    value = models.FloatField(default=1)

    class Meta:
        indexes = [models.Index(fields=["day"], name="synthetic_day_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.category}"
