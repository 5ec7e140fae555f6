"""Tables of the camera list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.cameras.contacts import CUSTODIAN
from safeward.cameras.models import Camera, Campaign
from safeward.core.tables import NumberColumn, Table, TotalColumn

STATUS_BADGE = {"working": "ok", "broken": "bad"}


class CameraTable(Table):
    """The custodian's name shows only on rows whose contact the user may see (each look audited)."""

    required = ("id",)
    id = tables.Column(verbose_name="#", linkify=("cameras:detail", [tables.A("pk")]))
    custodian_label = tables.Column(verbose_name=_("Custodian"), order_by=("custodian_kind",))
    unit = tables.Column(verbose_name=_("Neighbourhood"), order_by=("unit__path",))
    sharing_mode = tables.Column(verbose_name=_("Sharing mode"))
    status = tables.Column(verbose_name=_("Status"))
    last_verified = tables.DateColumn(verbose_name=_("Last verified"), default="—")
    cost_vnd = TotalColumn(verbose_name=_("Cost (VND)"))

    class Meta(Table.Meta):
        model = Camera
        fields: ClassVar[tuple[str, ...]] = ()
        empty_text = _("No cameras match.")

    def shown(self, record: Camera) -> bool:
        """Whether the user may see this row's custodian: one audited look for the page shown."""
        return self.personal_shown(CUSTODIAN, record)

    def render_custodian_label(self, record: Camera) -> Any:
        return record.custodian_label if self.shown(record) else record.get_custodian_kind_display()

    def value_custodian_label(self, record: Camera) -> str:
        allowed = CUSTODIAN.allows(getattr(self.request, "user", None), record)
        return record.custodian_label if allowed else str(record.get_custodian_kind_display())

    def render_status(self, record: Camera) -> Any:
        badge = STATUS_BADGE.get(record.status, "warn")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: Camera) -> str:
        return str(record.get_status_display())


class CampaignTable(Table):
    required = ("title",)
    title = tables.Column(
        verbose_name=_("Campaign"), linkify=("cameras:campaign", [tables.A("pk")])
    )
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    goal_vnd = TotalColumn(verbose_name=_("Goal"))
    raised = TotalColumn(verbose_name=_("Raised"), default=0)
    contributions = NumberColumn(verbose_name=_("Contributions"), accessor="gifts", default=0)
    period = tables.Column(verbose_name=_("Period"), accessor="starts_on")

    class Meta(Table.Meta):
        model = Campaign
        fields: ClassVar[tuple[str, ...]] = ()
        empty_text = _("No campaigns yet.")

    def render_period(self, record: Campaign) -> str:
        end = date_format(record.ends_on) if record.ends_on else "…"
        return f"{date_format(record.starts_on)} – {end}"

    def value_period(self, record: Campaign) -> str:
        end = record.ends_on.isoformat() if record.ends_on else ""
        return f"{record.starts_on.isoformat()} – {end}"
