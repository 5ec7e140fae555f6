from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from safeward.core.models import AuditEvent
from safeward.core.rest.filters import AuditEventFilterSet
from safeward.core.rest.serializers import AuditEventSerializer


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit events in the caller's units, newest first."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        qs = (
            AuditEvent.objects.restrict(self.request.user, "view")
            .select_related("seal")
            .order_by("-id")
        )
        return qs
