from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request

from safeward.core.api import ScopedViewSet
from safeward.core.viewkit import parse_day, reject_fixed
from safeward.outreach import filters, services
from safeward.outreach.api import serializers as s
from safeward.outreach.certificates import certificate_pdf
from safeward.outreach.models import Course, Participant, Session, SessionMaterial, SocialPost


class SessionViewSet(ScopedViewSet):
    """Propaganda sessions; future sessions are planned and appear on the public calendar."""

    domain_rules = {
        "write": (
            "a session dated in the future is planned",
            "attendance is at least the roster and at most the unit's population",
            "the unit exists on the session's date",
        ),
    }
    model = Session
    filterset_class = filters.SessionFilterSet
    serializer_class = s.SessionSerializer
    select_related = ("unit",)
    prefetch_related = ("attendees", "households")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.session_create(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit")
        data.pop("households", None)
        serializer.instance = services.session_update(
            self.request.user, serializer.instance, **data
        )

    def perform_destroy(self, instance: Session) -> None:
        services.session_delete(self.request.user, instance)


class SocialPostViewSet(ScopedViewSet):
    domain_rules = {"write": ("a post is not dated in the future",)}
    model = SocialPost
    filterset_class = filters.SocialPostFilterSet
    serializer_class = s.SocialPostSerializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.post_create(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit")
        serializer.instance = services.post_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: SocialPost) -> None:
        services.post_delete(self.request.user, instance)


class CourseViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a course lasts at most 90 days and does not end before it starts",
            "the unit exists on the course's dates",
        ),
    }
    model = Course
    filterset_class = filters.CourseFilterSet
    serializer_class = s.CourseSerializer

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.course_create(self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = reject_fixed(dict(serializer.validated_data), serializer.instance, "unit")
        serializer.instance = services.course_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: Course) -> None:
        services.course_delete(self.request.user, instance)


class ParticipantViewSet(ScopedViewSet):
    domain_rules = {
        "write": (
            "a person is on a course once",
            "days attended are days of the course",
            "a course for group roles takes leaders or members of groups",
        ),
    }
    model = Participant
    filterset_class = filters.ParticipantFilterSet
    serializer_class = s.ParticipantSerializer
    select_related = ("person__unit", "course")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        days = [parse_day(str(d), "days_attended") for d in data.get("days_attended") or []]
        serializer.instance = services.participant_add(
            self.request.user,
            course=data["course"],
            person=data["person"],
            group=data.get("group"),
            days=[d for d in days if d],
            result=data.get("result") or "",
        )

    def perform_update(self, serializer: Any) -> None:
        participant = serializer.instance
        data = reject_fixed(
            dict(serializer.validated_data), participant, "course", "person", "group"
        )
        if "days_attended" in data:
            days = [parse_day(str(d), "days_attended") for d in data["days_attended"]]
            participant = services.participant_mark_attendance(
                self.request.user, participant, days=[d for d in days if d]
            )
        if "result" in data:
            participant = services.participant_assess(
                self.request.user, participant, result=data["result"]
            )
        serializer.instance = participant

    def perform_destroy(self, instance: Participant) -> None:
        services.participant_delete(self.request.user, instance)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The completion certificate as a PDF."""
        participant = self.get_object()
        response = HttpResponse(certificate_pdf(participant), content_type="application/pdf")
        stamp = dt.date.today().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{participant.pk}-{stamp}.pdf"'
        )
        return response


class SessionMaterialViewSet(ScopedViewSet):
    """Leaflets, slides and videos of a session: uploaded (multipart), listed, removed."""

    domain_rules = {
        "create": (
            "only PDF, images, videos and office documents, not empty, within the size limit",
        ),
    }
    model = SessionMaterial
    filterset_class = filters.SessionMaterialFilterSet
    serializer_class = s.SessionMaterialSerializer
    select_related = ("session__unit",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.material_add(self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: SessionMaterial) -> None:
        services.material_delete(self.request.user, instance)
