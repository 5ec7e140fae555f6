"""Tables of the evidence list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.core.tables import Table, TotalColumn
from safeward.evidence.models import FootageRequest

STATUS_BADGE = {"approved": "ok", "rejected": "bad", "closed": "ok"}


class FootageRequestTable(Table):
    required = ("id",)
    id = tables.Column(verbose_name="#", linkify=("evidence:request", [tables.A("pk")]))
    report = tables.Column(
        verbose_name=_("Report"), accessor="report__tracking_code", order_by=("report__id",)
    )
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    status = tables.Column(verbose_name=_("Status"))
    cameras = TotalColumn(verbose_name=_("Cameras asked"), accessor="target_count")
    clips = TotalColumn(verbose_name=_("Clips received"), accessor="clip_count")
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="SHORT_DATETIME_FORMAT")

    class Meta(Table.Meta):
        model = FootageRequest
        fields: ClassVar[tuple[str, ...]] = ()
        empty_text = _("No footage requests.")

    def render_status(self, record: FootageRequest) -> Any:
        badge = STATUS_BADGE.get(record.status, "warn")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: FootageRequest) -> str:
        return str(record.get_status_display())
