from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.core.api import ScopedViewSet
from safeward.core.services import require_perm
from safeward.reports import services
from safeward.reports.api.serializers import (
    AssignSerializer,
    EventSerializer,
    ExtendSerializer,
    IdentitySerializer,
    MergeSerializer,
    MessageSerializer,
    ReasonSerializer,
    ReceiptSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    ResolveSerializer,
    RoutingRuleSerializer,
    created_body,
)
from safeward.reports.duplicates import possible_duplicates
from safeward.reports.filters import ReportFilterSet
from safeward.reports.models import Report, RoutingRule
from safeward.reports.services import ReporterInfo, category_by_code


class ReportViewSet(ScopedViewSet):
    """Reports in the caller's scope. POST accepts an ``Idempotency-Key`` header."""

    domain_rules = {
        "assign": ("the officer or team can handle reports in the report's unit",),
        "reopen": ("only a resolved or closed report is reopened, with a reason",),
        "extend": ("a legal track's deadline is extended once, with a reason, to a later date",),
        "merge": ("a report is not merged into itself",),
        "resolve": ("an outcome is chosen",),
        "create": (
            "the place is a point on land in Vietnam or a ward that exists",
            "the incident time is not in the future or before 2000",
        ),
    }
    model = Report
    filterset_class = ReportFilterSet
    serializer_class = ReportSerializer
    select_related = ("category", "unit")

    @extend_schema(request=ReportCreateSerializer, responses={201: ReceiptSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not services.staff_may_submit(request.user):
            return super().create(request, *args, **kwargs)  # answers 403
        incoming = ReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        submission = services.report_submit_once(
            request.user,
            category=category_by_code(data["category"]),
            description=data["description"],
            channel=data["channel"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            unit=data.get("unit"),
            address=data["address"],
            media_url=data["media_url"],
            occurred_at=data.get("occurred_at"),
            attributes=data["attributes"],
            priority=data["priority"],
            reporter=ReporterInfo(
                data["reporter_name"],
                data["reporter_phone"],
                data["reporter_email"],
                data["anonymous"],
            ),
            idempotency_owner=f"user:{request.user.pk}",
            idempotency_key=request.headers.get("Idempotency-Key", "")[:120],
            require_scope=True,
        )
        code = status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK
        return Response(created_body(submission.report, submission.secret), status=code)

    @extend_schema(request=ReportUpdateSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        incoming = ReportUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.report_update(request.user, report, **incoming.validated_data)
        return Response(ReportSerializer(report).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: Report) -> None:
        services.report_delete(self.request.user, instance)

    def _changed(self) -> Report:
        return cast(Report, self.get_object())

    @extend_schema(request=AssignSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        report = self._changed()
        incoming = AssignSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        services.report_assign(
            request.user,
            report,
            assignee=incoming.validated_data.get("assignee"),
            team=incoming.validated_data["team"],
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        report = services.report_triage(request.user, self._changed())
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        report = services.report_start_verifying(request.user, self._changed())
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ResolveSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        report = self._changed()
        incoming = ResolveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.report_resolve(request.user, report, **incoming.validated_data)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        report = services.report_close(request.user, self._changed())
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ReasonSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        incoming = ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.report_reopen(
            request.user, self._changed(), reason=incoming.validated_data["reason"]
        )
        return Response(ReportSerializer(report).data)

    @extend_schema(request=ExtendSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        incoming = ExtendSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.report_extend(request.user, self._changed(), **incoming.validated_data)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=MergeSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        report = self._changed()
        incoming = MergeSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        services.report_merge(request.user, report, into=incoming.validated_data["into"])
        return Response(ReportSerializer(report).data)

    @extend_schema(responses=ReportSerializer(many=True))
    @action(detail=True, methods=["get"])
    def duplicates(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        found = possible_duplicates(report).restrict(request.user, "view")
        return Response(ReportSerializer(found, many=True).data)

    @extend_schema(request=MessageSerializer, responses=MessageSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        report = Report.objects.get_visible(request.user, "view", pk=pk)
        if request.method == "POST":
            incoming = MessageSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            message = services.report_message_staff(
                request.user, report, body=incoming.validated_data["body"]
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        require_perm(request.user, "reports.view_reportmessage", report.unit)
        return Response(MessageSerializer(report.messages.all(), many=True).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        require_perm(request.user, "reports.view_reportevent", report.unit)
        return Response(EventSerializer(report.events.all(), many=True).data)

    @extend_schema(responses=IdentitySerializer)
    @action(detail=True, methods=["get"])
    def reporter(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        identity = services.reporter_identity_view(request.user, report)
        return Response(IdentitySerializer(identity).data if identity else {"anonymous": True})


class RoutingRuleViewSet(ScopedViewSet):
    """Routing rules in the caller's scope: unit subtree (+ category) to an officer or team."""

    domain_rules = {
        "write": (
            "an officer or a team is chosen, able to handle reports in the unit",
            "the unit still exists",
        ),
    }
    model = RoutingRule
    serializer_class = RoutingRuleSerializer
    select_related = ("unit", "category")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.routing_rule_create(
            self.request.user,
            unit=data["unit"],
            category=data.get("category"),
            assignee=data.get("assignee"),
            team=data.get("team", ""),
        )

    def perform_update(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.routing_rule_update(
            self.request.user,
            serializer.instance,
            assignee=data.get("assignee"),
            team=data.get("team"),
            active=data.get("active"),
        )

    def perform_destroy(self, instance: RoutingRule) -> None:
        services.routing_rule_delete(self.request.user, instance)
