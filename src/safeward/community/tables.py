"""Tables of the community list pages."""

from __future__ import annotations

from typing import Any, ClassVar

import django_tables2 as tables
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safeward.community.models import FortressAssessment, Group, Membership, MovementModel
from safeward.community.personal import GROUP_LEADER_NAME
from safeward.core.tables import NumberColumn, Table, TotalColumn, unit_with_parent

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
        return unit_with_parent(record.unit)

    def value_unit(self, record: Group) -> str:
        return record.unit.name

    def render_leader_name(self, record: Any) -> str:
        return str(self.value_leader_name(record))

    def value_leader_name(self, record: Any) -> str:
        """The leader's name to those who read names in the unit, and in the groups a
        leader runs (their own work, as their memberships are); "—" to everyone else."""
        if not record.leader_name:
            return "—"
        if record.pk in self._led() or self.personal_shown(GROUP_LEADER_NAME, record):
            return str(record.leader_name)
        return "—"

    def _led(self) -> set[int]:
        if "_led_groups" not in self.__dict__:
            user = getattr(self.request, "user", None)
            led = Membership.objects.leading(user).values_list("group_id", flat=True)
            self.__dict__["_led_groups"] = set(led) if user is not None else set()
        return self.__dict__["_led_groups"]  # type: ignore[no-any-return]

    def render_status(self, record: Group) -> Any:
        badge = STATUS_BADGE.get(record.status, "warn")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: Group) -> str:
        return str(record.get_status_display())


MODEL_STATUS_BADGE = {"running": "ok", "replicated": "ok", "stopped": "bad"}
RESULT_BADGE = {"fortress": "ok", "at_risk": "bad"}


class MovementModelTable(Table):
    required = ("name",)
    name = tables.Column(verbose_name=_("Name"))
    theme = tables.Column(verbose_name=_("Theme"))
    lead_organisation = tables.Column(verbose_name=_("Lead"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    start_date = tables.DateColumn(verbose_name=_("Started"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    unit_count = NumberColumn(verbose_name=_("Units"))

    class Meta(Table.Meta):
        model = MovementModel
        fields: ClassVar[tuple[str, ...]] = ()

    def render_name(self, record: MovementModel) -> Any:
        link = format_html(
            '<a href="{}">{}</a>', reverse("community:model", args=[record.pk]), record.name
        )
        original = record.replicated_from
        if original is None:
            return link
        return format_html('{} <span class="muted">↳ {}</span>', link, original.name)

    def value_name(self, record: MovementModel) -> str:
        return record.name

    def render_unit(self, record: MovementModel) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: MovementModel) -> str:
        return record.unit.name

    def render_status(self, record: MovementModel) -> Any:
        badge = MODEL_STATUS_BADGE.get(record.status, "")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_status_display())

    def value_status(self, record: MovementModel) -> str:
        return str(record.get_status_display())


class FortressAssessmentTable(Table):
    required = ("unit",)
    unit = tables.Column(
        verbose_name=_("Neighbourhood"),
        order_by=("unit__path",),
        linkify=("community:assessment", [tables.A("pk")]),
    )
    period_end = tables.Column(verbose_name=_("Period"))
    met = tables.Column(verbose_name=_("Criteria met"), empty_values=(), orderable=False)
    result = tables.Column(verbose_name=_("Result"))

    class Meta(Table.Meta):
        model = FortressAssessment
        fields: ClassVar[tuple[str, ...]] = ()

    def render_unit(self, record: FortressAssessment) -> Any:
        return unit_with_parent(record.unit)

    def value_unit(self, record: FortressAssessment) -> str:
        return record.unit.name

    def render_period_end(self, record: FortressAssessment) -> str:
        return "{} – {}".format(
            date_format(record.period_start, "d/m/Y"), date_format(record.period_end, "d/m/Y")
        )

    def value_period_end(self, record: FortressAssessment) -> str:
        return f"{record.period_start.isoformat()} – {record.period_end.isoformat()}"

    def render_met(self, record: FortressAssessment) -> str:
        return f"{record.met_count} / {len(record.criteria)}"

    def render_result(self, record: FortressAssessment) -> Any:
        badge = RESULT_BADGE.get(record.result, "warn")
        return format_html('<span class="badge {}">{}</span>', badge, record.get_result_display())

    def value_result(self, record: FortressAssessment) -> str:
        return str(record.get_result_display())
