from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from rest_framework import viewsets

from safeward.core.models import AuditEvent
from safeward.core.rest.filters import AuditEventFilterSet
from safeward.core.rest.serializers import AuditEventSerializer


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
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


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: a URL under /api/ that matches no route answers in the API's shape."""
    if request.path.startswith("/api/"):
        body = {"detail": gettext("Not found."), "code": "not_found"}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception or Http404())
