"""The staff list of bulletins."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.bulletins.models import Bulletin
from safeward.core.tables import Table, unit_with_parent

STATUS_BADGE = {"draft": "", "awaiting": "warn", "approved": "warn", "sent": "ok"}
SEVERITY_BADGE = {"Extreme": "bad", "Severe": "bad", "Moderate": "warn"}


class BulletinTable(Table):
    required = ("headline",)
    headline = tables.Column(
        verbose_name=_("Headline"),
        empty_values=(),
        orderable=False,
        linkify=("bulletins:bulletin", [tables.A("pk")]),
    )
    unit = tables.Column(verbose_name=_("Sent by"), order_by=("unit__path",))
    category = tables.Column(verbose_name=_("Category"))
    severity = tables.Column(verbose_name=_("Severity"))
    status = tables.Column(verbose_name=_("Status"))
    sent_at = tables.DateTimeColumn(verbose_name=_("Sent"), format="d/m/Y H:i")
    expires_at = tables.DateTimeColumn(verbose_name=_("Expires"), format="d/m/Y H:i")

    class Meta(Table.Meta):
        model = Bulletin
        fields: ClassVar[tuple[str, ...]] = ()

    def render_headline(self, record: Bulletin) -> Any:
        return str(record)

    def value_headline(self, record: Bulletin) -> str:
        return str(record)

    def render_unit(self, record: Bulletin) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: Bulletin) -> str:
        return record.unit.name

    def render_status(self, record: Bulletin) -> Any:
        badge = STATUS_BADGE.get(record.status, "")
        if record.status == "sent" and record.expired:
            return format_html('<span class="badge">{}</span>', _("Expired"))
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>',
            badge,
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record: Bulletin) -> str:
        return str(record.get_status_display())

    def render_severity(self, record: Bulletin) -> Any:
        badge = SEVERITY_BADGE.get(record.severity, "")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_severity_display())

    def value_severity(self, record: Bulletin) -> str:
        return str(record.get_severity_display())
