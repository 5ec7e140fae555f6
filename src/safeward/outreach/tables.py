"""Tables of the outreach list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.core.tables import Table, TotalColumn, unit_with_parent
from safeward.outreach.models import Course, Session, SocialPost

SESSION_STATUS_BADGE = {"planned": "warn", "held": "ok"}


class SessionTable(Table):
    required = ("date",)
    date = tables.DateColumn(
        verbose_name=_("Date"), format="d/m/Y", linkify=("outreach:session", [tables.A("pk")])
    )
    topic = tables.Column(verbose_name=_("Topic"))
    form = tables.Column(verbose_name=_("Form"))
    place = tables.Column(verbose_name=_("Place"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    status = tables.Column(verbose_name=_("Status"))
    attendance = TotalColumn(verbose_name=_("Attendance"))

    class Meta(Table.Meta):
        model = Session
        fields: ClassVar[tuple[str, ...]] = ()

    def render_unit(self, record: Session) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: Session) -> str:
        return record.unit.name

    def render_status(self, record: Session) -> Any:
        badge = SESSION_STATUS_BADGE.get(record.status, "")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: Session) -> str:
        return str(record.get_status_display())


class SocialPostTable(Table):
    required = ("date",)
    date = tables.DateColumn(verbose_name=_("Date"), format="d/m/Y")
    platform = tables.Column(verbose_name=_("Platform"))
    kind = tables.Column(verbose_name=_("Kind"))
    topic = tables.Column(verbose_name=_("Topic"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    reach = TotalColumn(verbose_name=_("Reach"))

    class Meta(Table.Meta):
        model = SocialPost
        fields: ClassVar[tuple[str, ...]] = ()

    def render_date(self, record: SocialPost) -> Any:
        day = date_format(record.date, "d/m/Y")
        return format_html('<a href="{}" rel="noopener">{}</a>', record.url, day)

    def value_date(self, record: SocialPost) -> str:
        return record.date.isoformat()

    def render_unit(self, record: SocialPost) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: SocialPost) -> str:
        return record.unit.name


class CourseTable(Table):
    required = ("title",)
    title = tables.Column(verbose_name=_("Title"), linkify=("outreach:course", [tables.A("pk")]))
    start_date = tables.Column(verbose_name=_("Dates"))
    place = tables.Column(verbose_name=_("Place"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    organiser = tables.Column(verbose_name=_("Organiser"))
    participant_count = TotalColumn(verbose_name=_("Participants"))

    class Meta(Table.Meta):
        model = Course
        fields: ClassVar[tuple[str, ...]] = ()

    def render_start_date(self, record: Course) -> str:
        return "{} – {}".format(
            date_format(record.start_date, "d/m/Y"), date_format(record.end_date, "d/m/Y")
        )

    def value_start_date(self, record: Course) -> str:
        return f"{record.start_date.isoformat()} – {record.end_date.isoformat()}"

    def render_unit(self, record: Course) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: Course) -> str:
        return record.unit.name
