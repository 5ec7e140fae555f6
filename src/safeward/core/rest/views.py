from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets

from safeward.core.models import AuditEvent
from safeward.core.rest.serializers import AuditEventSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("action", str),
        OpenApiParameter("object_type", str),
        OpenApiParameter("object_id", str),
        OpenApiParameter("sensitive", bool),
    ]
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit events in the caller's units, newest first."""

    serializer_class = AuditEventSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        qs = (
            AuditEvent.objects.restrict(self.request.user, "view")
            .select_related("seal")
            .order_by("-id")
        )
        params = self.request.query_params
        if params.get("action"):
            qs = qs.filter(action__startswith=params["action"])
        if params.get("object_type"):
            qs = qs.filter(object_type=params["object_type"])
        if params.get("object_id"):
            qs = qs.filter(object_id=params["object_id"])
        if params.get("sensitive") in {"1", "true"}:
            qs = qs.filter(sensitive_read=True)
        return qs


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: a URL under /api/ that matches no route answers in the API's shape."""
    if request.path.startswith("/api/"):
        body = {"detail": gettext("Not found."), "code": "not_found"}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception or Http404())
