from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.core.api import ScopedViewSet
from safeward.core.audit import audit_record
from safeward.core.rest.schema import file_download
from safeward.core.uploads import VIDEO_EXTENSIONS
from safeward.evidence import services
from safeward.evidence.api import serializers as s
from safeward.evidence.choices import CustodyAction
from safeward.evidence.filters import FootageRequestFilterSet
from safeward.evidence.minutes import minutes_pdf
from safeward.evidence.models import EvidenceItem, FootageRequest, RequestTarget
from safeward.evidence.views import serve_clip


class FootageRequestViewSet(ScopedViewSet):
    """Footage requests; approving, rejecting and answering are actions on a request."""

    domain_rules = {
        "create": (
            "a request starts from a report with a point, states its purpose and chooses cameras",
            "the time window ends after it starts and spans at most 24 hours",
        ),
        "approve": ("the approver is a senior officer or a Front member, not the requester",),
        "reject": ("a rejection gives its reason",),
        "answer": ("only the custodian or an officer answers, with a valid answer",),
        "upload": (
            "a clip belongs to a requested camera whose custodian consented",
            "the clip ends after it starts and its SHA-256 matches the declared one",
            "an on-site extraction names its minutes",
        ),
    }
    model = FootageRequest
    filterset_class = FootageRequestFilterSet
    serializer_class = s.FootageRequestSerializer
    select_related = ("unit",)
    prefetch_related = ("targets", "targets__deliveries")
    http_method_names = ["get", "post", "head", "options"]
    # Approving, rejecting and answering need only sight of the request: the services check
    # the approval right, the custodian and the officer themselves.
    action_scopes: ClassVar[dict[str, str]] = {
        "approve": "view",
        "reject": "view",
        "answer": "view",
        "close": "change",
        "upload": "view",
    }

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.footage_request_create(
            self.request.user, **serializer.validated_data
        )

    def _visible(self, pk: Any) -> FootageRequest:
        return FootageRequest.objects.get_visible(self.request.user, "view", pk=pk)

    @extend_schema(request=s.DecisionSerializer, responses=s.FootageRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        footage = self._visible(pk)
        note = s.DecisionSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        tokens = services.footage_request_approve(
            request.user, footage, note=note.validated_data["note"]
        )
        footage.refresh_from_db()
        body = self.get_serializer(footage).data
        body["upload_links"] = {str(k): f"/evidence/upload/{v}/" for k, v in tokens.items()}
        return Response(body)

    @extend_schema(request=s.DecisionSerializer, responses=s.FootageRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        footage = self._visible(pk)
        services.footage_request_reject(
            request.user, footage, note=str(request.data.get("note", ""))
        )
        footage.refresh_from_db()
        return Response(self.get_serializer(footage).data)

    @extend_schema(request=s.AnswerSerializer, responses=s.TargetSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        footage = self._visible(pk)
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = RequestTarget.objects.get_visible(
            request.user, "view", pk=body.validated_data["target"], request=footage
        )
        services.target_respond(
            request.user,
            target,
            response=body.validated_data["response"],
            note=body.validated_data["note"],
        )
        return Response(s.TargetSerializer(target).data)

    @extend_schema(request=None, responses=s.FootageRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the request; unused upload links stop working."""
        footage = services.footage_request_close(request.user, self._visible(pk))
        return Response(self.get_serializer(footage).data)

    @extend_schema(request=s.OfficerUploadSerializer, responses={201: s.EvidenceItemSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request: Request, pk: Any = None) -> Response:
        """Upload a clip extracted on site: streamed to storage, hashed, logged in custody."""
        footage = self._visible(pk)
        body = s.OfficerUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        target = RequestTarget.objects.select_related("request", "camera").get_visible(
            request.user, "view", pk=data.pop("target"), request=footage
        )
        upload_file = data.pop("file")
        item = services.evidence_receive(
            request.user,
            upload=upload_file,
            filename=upload_file.name,
            content_type=upload_file.content_type or "",
            target=target,
            **data,
        )
        return Response(s.EvidenceItemSerializer(item).data, status=201)


class EvidenceItemViewSet(ScopedViewSet):
    """Evidence clips: reading one is logged in its custody chain and the audit trail."""

    domain_rules = {
        "retention": ("a change of retention names a new category and its reason",),
    }
    model = EvidenceItem
    serializer_class = s.EvidenceItemSerializer
    prefetch_related = ("custody",)
    http_method_names = ["get", "post", "head", "options"]
    action_scopes: ClassVar[dict[str, str]] = {"retention": "change"}

    # Clips arrive through footage requests: the list route answers no POST at all (405,
    # and ``Allow`` does not offer it).
    create = None  # type: ignore[assignment]

    @extend_schema(request=s.RetentionSerializer, responses=s.EvidenceItemSerializer)
    @action(detail=True, methods=["post"])
    def retention(self, request: Request, pk: Any = None) -> Response:
        """Move the clip between short keeping, case and legal hold, with a reason."""
        item = EvidenceItem.objects.get_visible(request.user, "view", pk=pk)
        body = s.RetentionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.evidence_set_retention(request.user, item, **body.validated_data)
        return Response(self.get_serializer(item).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        audit_record(request.user, "evidence.read", item, sensitive_read=True)
        return Response(self.get_serializer(item).data)

    # Clips are stored with the container type their bytes announce, or as plain octets.
    @file_download(*VIDEO_EXTENSIONS, "application/octet-stream")
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> HttpResponseBase:
        """The clip's original bytes; the read is logged in custody and the audit trail."""
        return serve_clip(request, pk, CustodyAction.DOWNLOADED)

    @file_download("application/pdf")
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: Any = None) -> HttpResponse:
        item = self.get_object()
        services.evidence_open(request.user, item, action=CustodyAction.EXPORTED).close()
        response = HttpResponse(minutes_pdf(item), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-ban-{item.pk}.pdf"'
        return response
