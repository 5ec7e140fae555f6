"""Tables of the staff report list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from safeward.core.tables import Table
from safeward.reports.models import Report


class ReportTable(Table):
    """Overdue rows are marked (row and deadline) so they stand out on phone and desk."""

    required = ("tracking_code",)
    tracking_code = tables.Column(
        verbose_name=_("Code"), linkify=("reports:detail", [tables.A("pk")])
    )
    category = tables.Column(
        verbose_name=_("Category"), accessor="category__name", order_by=("category__name",)
    )
    unit = tables.Column(verbose_name=_("Place"), accessor="unit__name", order_by=("unit__path",))
    received_at = tables.Column(verbose_name=_("Received"))
    status = tables.Column(verbose_name=_("Status"))
    due_on = tables.Column(verbose_name=_("Decide by"), default="—")
    assignee = tables.Column(
        verbose_name=_("Assignee"), empty_values=(), order_by=("assignee__last_name", "team")
    )

    class Meta(Table.Meta):
        model = Report
        fields: ClassVar[tuple[str, ...]] = ()
        empty_text = _("No reports match.")
        row_attrs: ClassVar[dict[str, Any]] = {
            "class": lambda record: "sensitive" if record.is_overdue else ""
        }

    def render_received_at(self, value: Any) -> str:
        return date_format(localtime(value), "d/m/Y H:i")

    def value_received_at(self, value: Any) -> str:
        return localtime(value).isoformat()

    def render_due_on(self, record: Report) -> Any:
        day = date_format(record.due_on, "d/m/Y")
        if not record.is_overdue:
            return day
        return format_html('{} <span class="badge warn">{}</span>', day, _("overdue"))

    def value_due_on(self, record: Report) -> str:
        return record.due_on.isoformat() if record.due_on else ""

    def render_assignee(self, record: Report) -> str:
        if record.assignee is not None and record.assignee.get_full_name():
            return str(record.assignee.get_full_name())
        return record.team or "—"

    def value_assignee(self, record: Report) -> str:
        return self.render_assignee(record)
