"""Tables of the community list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.community.models import Group
from safeward.core.tables import Table, TotalColumn

STATUS_BADGE = {"active": "ok", "dissolved": "bad"}


class GroupTable(Table):
    required = ("name",)
    name = tables.Column(verbose_name=_("Name"), linkify=("community:group", [tables.A("pk")]))
    group_type = tables.Column(verbose_name=_("Type"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    leader_name = tables.Column(verbose_name=_("Leader"), default="—")
    status = tables.Column(verbose_name=_("Status"))
    member_count = TotalColumn(verbose_name=_("Members"))
    households_covered = TotalColumn(verbose_name=_("Households"))

    class Meta(Table.Meta):
        model = Group
        fields: ClassVar[tuple[str, ...]] = ()

    def render_unit(self, record: Group) -> Any:
        parent = record.unit.parent
        if parent is None:
            return record.unit.name
        return format_html('{} <span class="muted">· {}</span>', record.unit.name, parent.name)

    def value_unit(self, record: Group) -> str:
        return record.unit.name

    def render_status(self, record: Group) -> Any:
        badge = STATUS_BADGE.get(record.status, "warn")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: Group) -> str:
        return str(record.get_status_display())
