"""Tables of the shell's list pages: administrative units and the audit log."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

import django_tables2 as tables
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from safeward.core.models import AuditEvent
from safeward.core.tables import NumberColumn, Table
from safeward.geo.models import AdminUnit


class UnitTable(Table):
    required = ("name",)
    name = tables.Column(
        verbose_name=_("Name"),
        linkify=("web:unit_detail", [tables.A("pk")]),
        order_by=("sort_key", "name"),
    )
    code = tables.Column(verbose_name=_("Code"))
    level = tables.Column(verbose_name=_("Level"), order_by=("depth",))
    valid = tables.Column(verbose_name=_("Valid"), accessor="valid_from", orderable=True)
    child_count = NumberColumn(verbose_name=_("Children"))

    class Meta(Table.Meta):
        model = AdminUnit
        fields: ClassVar[tuple[str, ...]] = ()

    def render_code(self, value: str) -> Any:
        return format_html("<code>{}</code>", value)

    def render_valid(self, record: AdminUnit) -> Any:
        return render_to_string("web/_validity.html", {"unit": record})

    def value_valid(self, record: AdminUnit) -> str:
        end = record.valid_to.isoformat() if record.valid_to else ""
        return f"{record.valid_from.isoformat() if record.valid_from else ''}–{end}"


def object_type_name(object_type: str) -> str:
    """``outreach.session`` as its reader reads it (the model's name in their language)."""
    try:
        return str(capfirst(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


@cache
def _permission_names(app_label: str) -> dict[str, Any]:
    try:
        models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return {}
    return {code: name for model in models for code, name in model._meta.permissions}


def action_name(action: str) -> str:
    """A read recorded under its permission (``cameras.view_custodian_contact``) named as
    that permission is; other actions have no name beside their code."""
    app_label, _dot, code = action.partition(".")
    return str(_permission_names(app_label).get(code, ""))


class AuditTable(Table):
    required = ("occurred_at",)
    occurred_at = tables.Column(verbose_name=_("Time"), order_by=("id",))
    actor_label = tables.Column(verbose_name=_("Actor"), default="—")
    action = tables.Column(verbose_name=_("Action"))
    object = tables.Column(verbose_name=_("Object"), accessor="object_type", orderable=False)
    changes = tables.Column(
        verbose_name=_("Changes"), orderable=False, attrs={"td": {"class": "changes"}}
    )
    seal = tables.Column(verbose_name=_("Sealed"), orderable=False, default="…")

    class Meta(Table.Meta):
        model = AuditEvent
        fields: ClassVar[tuple[str, ...]] = ()
        row_attrs: ClassVar[dict[str, Any]] = {
            "class": lambda record: "sensitive" if record.sensitive_read else ""
        }

    def render_occurred_at(self, record: AuditEvent) -> str:
        return f"#{record.pk} · {date_format(localtime(record.occurred_at), 'd/m/Y H:i:s')}"

    def render_action(self, record: AuditEvent, value: str) -> Any:
        name = action_name(value) or (_("Read of protected data") if record.sensitive_read else "")
        if name:
            return format_html('<code>{}</code><br><span class="muted">{}</span>', value, name)
        return format_html("<code>{}</code>", value)

    def render_object(self, record: AuditEvent) -> Any:
        kind = object_type_name(record.object_type)
        if record.object_label:
            return format_html(
                '<span title="{}">{}</span> {}<br><span class="muted">{}</span>',
                record.object_type,
                kind,
                record.object_id,
                record.object_label,
            )
        return format_html(
            '<span title="{}">{}</span> {}', record.object_type, kind, record.object_id
        )

    def value_object(self, record: AuditEvent) -> str:
        return f"{record.object_type} {record.object_id} {record.object_label}".strip()

    def render_changes(self, record: AuditEvent) -> Any:
        lines = format_html_join(
            "", "<div><b>{}</b>: {}</div>", ((k, v) for k, v in (record.changes or {}).items())
        )
        if record.reason:
            return format_html('{}<div class="muted">{}</div>', lines, record.reason)
        return lines or "—"

    def value_changes(self, record: AuditEvent) -> str:
        return "; ".join(f"{k}: {v}" for k, v in (record.changes or {}).items())

    def render_seal(self, record: AuditEvent) -> str:
        return f"✓ {record.seal.seq}"  # the column's default covers an event not yet sealed
