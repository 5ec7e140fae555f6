"""Audit log filters shared by the audit page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from safeward.core.filters import DateFromFilter, DateToFilter, FlagFilter, ScopedFilterSet
from safeward.core.models import AuditEvent


class AuditEventFilterSet(ScopedFilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", label=_("Action"), help_text="action prefix"
    )
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter()
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="iexact", label=_("Actor")
    )
    from_ = DateFromFilter("occurred_at__date")
    to_ = DateToFilter("occurred_at__date")
    sensitive = FlagFilter(
        field_name="sensitive_read",
        label=_("Sensitive reads only"),
        help_text="sensitive reads only",
    )

    class Meta(ScopedFilterSet.Meta):
        model = AuditEvent
