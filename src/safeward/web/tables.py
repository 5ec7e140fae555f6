"""Tables of the shell's list pages: administrative units and the audit log."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

import django_tables2 as tables
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
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
    model = _audited_model(object_type)
    return str(capfirst(model._meta.verbose_name)) if model else object_type


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
        model = _audited_model(record.object_type)
        lines = format_html_join(
            "",
            "<div><b>{}</b>: {}</div>",
            (
                (_field_label(model, k), _field_value(model, k, v))
                for k, v in (record.changes or {}).items()
            ),
        )
        if record.reason:
            return format_html('{}<div class="muted">{}</div>', lines, record.reason)
        return lines or "—"

    def value_changes(self, record: AuditEvent) -> str:
        return "; ".join(f"{k}: {v}" for k, v in (record.changes or {}).items())

    def render_seal(self, record: AuditEvent) -> str:
        return f"✓ {record.seal.seq}"  # the column's default covers an event not yet sealed


def _audited_model(object_type: str) -> type[models.Model] | None:
    """The model an audit row names as ``app_label.model``, if it is one."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _field_label(model: type[models.Model] | None, key: str) -> Any:
    """A changed field by its label in the reader's language; a key that is no field of the
    model (a count, a service's own note) stays an identifier, set as code."""
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return capfirst(field.verbose_name)
    return format_html("<code>{}</code>", key)


def _field_value(model: type[models.Model] | None, key: str, value: Any) -> Any:
    """A recorded value as the pages show it: a choice by its label, a change as old → new."""
    field = _field(model, key)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}

    def one(v: Any) -> Any:
        if v is None or v == "":
            return "—"
        if isinstance(v, dict):  # a record of its own (a bulk change's count and dates)
            return format_html_join(" · ", "<code>{}</code> {}", sorted(v.items()))
        if isinstance(v, str | int) and v in choices:
            return str(choices[v])
        return str(v)

    if isinstance(value, list) and len(value) == 2:
        return format_html("{} → {}", one(value[0]), one(value[1]))
    return one(value)
