from __future__ import annotations

import math
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.cameras import services
from safeward.cameras.api import serializers as s
from safeward.cameras.filters import CameraFilterSet, CampaignFilterSet
from safeward.cameras.lookup import camera_candidates_for_point
from safeward.cameras.models import Camera, Campaign, ConsentRecord, Contribution, Expense
from safeward.core.api import ScopedViewSet
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_anywhere

LATITUDE = {"type": "number", "format": "double", "minimum": -90, "maximum": 90}
LONGITUDE = {"type": "number", "format": "double", "minimum": -180, "maximum": 180}


def _float(params: Any, name: str, bound: float) -> float:
    try:
        number = float(params[name])
    except (KeyError, ValueError) as exc:
        raise DomainError(_("Give {name} as a number.").format(name=name), field=name) from exc
    if not (math.isfinite(number) and -bound <= number <= bound):
        raise DomainError(_("Give {name} as a number.").format(name=name), field=name)
    return number


class InviteSerializer(drf_serializers.Serializer):
    public_fields = {
        "contact": "echoed to the inviting officer alone: the invite action needs"
        " cameras.change_camera, held only by the police, who also hold the contact permission",
    }
    contact = drf_serializers.CharField(max_length=120, required=False, allow_blank=True)
    channel = drf_serializers.CharField(read_only=True)
    link = drf_serializers.CharField(read_only=True)
    expires_at = drf_serializers.DateTimeField(read_only=True)


class CameraViewSet(ScopedViewSet):
    """Cameras in the user's area; deleting one retires it and ends its consent."""

    domain_rules = {
        "write": (
            "a camera is placed in a neighbourhood or a ward that exists on its installation date",
            "a point lies on land in Vietnam",
            "the custodian is reachable by phone or email",
        ),
    }
    model = Camera
    filterset_class = CameraFilterSet
    serializer_class = s.CameraSerializer
    select_related = ("unit",)
    action_scopes: ClassVar[dict[str, str]] = {
        "withdraw_consent": "change",
        "invite_custodian": "change",
        "candidates": "view",
    }

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.camera_register(self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("unit", None)
        serializer.instance = services.camera_update(self.request.user, serializer.instance, **data)

    def perform_destroy(self, instance: Camera) -> None:
        services.camera_deregister(self.request.user, instance)

    @extend_schema(responses=s.ConsentRecordSerializer)
    @extend_schema(request=InviteSerializer, responses={201: InviteSerializer})
    @action(detail=True, methods=["post"], url_path="invite-custodian")
    def invite_custodian(self, request: Request, pk: Any = None) -> Response:
        """Send the custodian a one-time link to open their account; the link is returned once."""
        camera = self.get_object()
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invite, token = services.custodian_invite(
            request.user, camera=camera, contact=body.validated_data.get("contact", "")
        )
        link = request.build_absolute_uri(reverse("cameras:custodian_accept", args=[token]))
        out = {
            "contact": invite.contact,
            "channel": invite.channel,
            "link": link,
            "expires_at": invite.expires_at,
        }
        return Response(InviteSerializer(out).data, status=201)

    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: Request, pk: Any = None) -> Response:
        camera = Camera.objects.get_visible(request.user, "view", pk=pk)
        services.consent_withdraw(request.user, camera, reason=request.data.get("reason", ""))
        return Response({"withdrawn": True})

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", LATITUDE, required=True, description="latitude"),
            OpenApiParameter("lon", LONGITUDE, required=True, description="longitude"),
            OpenApiParameter(
                "when",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601 time of the incident",
            ),
        ],
        responses=s.CandidateSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def candidates(self, request: Request) -> Response:
        """Which cameras could have seen the point at that time."""
        if not has_perm_anywhere(request.user, "cameras.view_camera"):
            raise PermissionDenied
        params = request.query_params
        try:
            when = parse_datetime(params.get("when", ""))
        except ValueError:  # well formed but no such time (30 February)
            when = None
        if when is None:
            raise DomainError(_("Give the incident time as ISO 8601."), field="when")
        found = camera_candidates_for_point(
            _float(params, "lat", 90),
            _float(params, "lon", 180),
            when,
            queryset=Camera.objects.restrict(request.user, "view"),
        )
        return Response(s.CandidateSerializer(found, many=True, context={"request": request}).data)


class ConsentRecordViewSet(ScopedViewSet):
    model = ConsentRecord
    serializer_class = s.ConsentRecordSerializer
    http_method_names = ["get", "head", "options"]


class CampaignViewSet(ScopedViewSet):
    """Campaigns; the unit is fixed once the campaign is opened."""

    domain_rules = {
        "write": (
            "a campaign belongs to a neighbourhood or a ward",
            "a campaign does not end before it starts",
        ),
    }
    model = Campaign
    filterset_class = CampaignFilterSet
    serializer_class = s.CampaignSerializer
    select_related = ("unit",)
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.campaign_create(
            self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        if unit is not None and unit.pk != serializer.instance.unit_id:
            raise DomainError(_("A campaign's unit cannot change."), field="unit")
        serializer.instance = services.campaign_update(
            self.request.user, serializer.instance, **data
        )


class LedgerViewSet(ScopedViewSet):
    """Ledger entries are recorded and voided, never edited or deleted."""

    select_related = ("campaign",)
    http_method_names = ["get", "post", "head", "options"]
    action_scopes: ClassVar[dict[str, str]] = {"void": "change"}
    # "contribution" or "expense": names the services ``<kind>_record`` and ``<kind>_void``
    kind: ClassVar[str]

    def perform_create(self, serializer: Any) -> None:
        record = getattr(services, f"{self.kind}_record")
        serializer.instance = record(self.request.user, **serializer.validated_data)

    @extend_schema(request=s.VoidSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: Any = None) -> Response:
        """Void the entry with a reason: it is kept, shown struck through, left out of totals."""
        entry = self.model.objects.get_visible(request.user, "change", pk=pk)  # type: ignore[attr-defined]
        body = s.VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        void = getattr(services, f"{self.kind}_void")
        entry = void(request.user, reason=body.validated_data["reason"], **{self.kind: entry})
        return Response(self.get_serializer(entry).data)


class ContributionViewSet(LedgerViewSet):
    domain_rules = {
        "create": (
            "the date lies in the campaign's period",
            "a receipt number is recorded once",
            "the donor is named or a household chosen",
        ),
    }
    model = Contribution
    serializer_class = s.ContributionSerializer
    kind = "contribution"


class ExpenseViewSet(LedgerViewSet):
    domain_rules = {
        "create": (
            "the date lies in the campaign's period",
            "a receipt number is recorded once",
        ),
    }
    model = Expense
    serializer_class = s.ExpenseSerializer
    kind = "expense"
