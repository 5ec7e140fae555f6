"""Bulletins, restricted cohorts, subscriptions and webhook endpoints, in the caller's scope;
every write through a service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeward.bulletins import filters, services
from safeward.bulletins.api import serializers as s
from safeward.bulletins.models import (
    Bulletin,
    Cohort,
    CohortMember,
    Subscription,
    WebhookEndpoint,
)
from safeward.core.api import ScopedViewSet
from safeward.core.errors import DomainError
from safeward.core.scoping import has_perm_at
from safeward.people.models import ContactPoint


class BulletinViewSet(ScopedViewSet):
    """Bulletins: written as a draft, submitted, approved (by a second officer when a
    restricted cohort receives it) and sent; a draft may be thrown away, nothing else."""

    domain_rules = {
        "write": (
            "the bulletin is written in Vietnamese at least, each language once",
            "the expiry is in the future",
            "an update or cancellation names a sent bulletin it changes; an alert none",
            "every audience lies within the writer's area; a cohort only for its keepers",
            "a drawn area has at least three corners on the map; circles up to 500 km",
        ),
    }
    model = Bulletin
    serializer_class = s.BulletinSerializer
    filterset_class = filters.BulletinFilterSet
    select_related = ("unit",)
    prefetch_related = ("texts", "audiences", "area_units")
    http_method_names = ["get", "post", "delete", "head", "options"]
    action_scopes = {"submit": "change", "approve": "change", "send": "change", "counts": "view"}

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        texts = [services.Text(**t) for t in data.pop("texts")]
        audiences = [
            services.Audience(kind=a["kind"], target=a.get(_TARGET[a["kind"]]))
            for a in data.pop("audiences")
        ]
        unit = data.pop("unit")
        serializer.instance = services.bulletin_draft(
            self.request.user, unit, texts=texts, audiences=audiences, **data
        )

    def perform_destroy(self, instance: Bulletin) -> None:
        services.bulletin_delete(self.request.user, instance)

    def _answer(self, bulletin: Bulletin) -> Response:
        fresh = self.get_queryset().get(pk=bulletin.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=None, responses=s.BulletinSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Submit a draft: approved at once, or waiting for a second officer when a
        restricted cohort receives it."""
        return self._answer(services.bulletin_submit(request.user, self.get_object()))

    @extend_schema(request=None, responses=s.BulletinSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a bulletin to a restricted cohort (never its own author's)."""
        return self._answer(services.bulletin_approve(request.user, self.get_object()))

    @extend_schema(request=None, responses=s.BulletinSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Send an approved bulletin: the workers create and send its deliveries."""
        return self._answer(services.bulletin_send(request.user, self.get_object()))

    @extend_schema(responses=s.CountsSerializer)
    @action(detail=True, methods=["get"])
    def counts(self, request: Request, pk: str | None = None) -> Response:
        """Deliveries by channel and state (queued, sent, delivered, failed, acknowledged)."""
        bulletin = self.get_object()
        return Response({"by_channel": services.delivery_figures(request.user, bulletin)})


_TARGET = {"unit": "unit", "group": "group", "cohort": "cohort"}


class CohortViewSet(ScopedViewSet):
    """Restricted cohorts, for the ward police who keep them; members are listed one cohort
    at a time, and every listing is audited."""

    domain_rules = {
        "write": (
            "what recipients read does not say why they receive it",
            "a member lives in the cohort's unit and is in it once",
        ),
    }
    model = Cohort
    serializer_class = s.CohortSerializer
    filterset_class = filters.CohortFilterSet
    select_related = ("unit",)
    http_method_names = ["get", "post", "head", "options"]
    action_scopes = {"members": "view", "add_member": "change", "remove_member": "change"}

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        unit = data.pop("unit")
        serializer.instance = services.cohort_create(self.request.user, unit, **data)

    @extend_schema(responses=s.CohortMemberSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """Who is in the cohort now (the look is audited)."""
        cohort = self.get_object()
        rows = services.cohort_members(request.user, cohort)
        return Response(
            s.CohortMemberSerializer(rows, many=True, context={"request": request}).data
        )

    @extend_schema(request=s.PersonRefSerializer, responses={201: s.CohortMemberSerializer})
    @action(detail=True, methods=["post"], url_path="add-member")
    def add_member(self, request: Request, pk: str | None = None) -> Response:
        """Add a person living in the cohort's unit."""
        cohort = self.get_object()
        body = s.PersonRefSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        member = services.cohort_member_add(request.user, cohort, body.validated_data["person"])
        data = s.CohortMemberSerializer(member, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PersonRefSerializer, responses=s.CohortMemberSerializer)
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request: Request, pk: str | None = None) -> Response:
        """Take a person out of the cohort (kept as removed, dated)."""
        cohort = self.get_object()
        body = s.PersonRefSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        member = CohortMember.objects.filter(
            cohort=cohort, person=body.validated_data["person"], removed_on__isnull=True
        ).first()
        if member is None:
            raise DomainError(_("This person is not in the cohort."), field="person")
        member = services.cohort_member_remove(request.user, member)
        return Response(s.CohortMemberSerializer(member, context={"request": request}).data)


class SubscriptionViewSet(ScopedViewSet):
    """Residents' choices of public bulletins, recorded for them by the ward."""

    domain_rules = {"write": ("quiet hours have both ends or neither",)}
    model = Subscription
    serializer_class = s.SubscriptionSerializer
    filterset_class = filters.SubscriptionFilterSet
    select_related = ("person__unit",)
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        serializer.instance = services.subscribe(self.request.user, person, **data)


class WebhookEndpointViewSet(ScopedViewSet):
    """Other systems that receive a unit's bulletins as CAP documents signed with HMAC."""

    domain_rules = {"write": ("a webhook uses https",)}
    model = WebhookEndpoint
    serializer_class = s.WebhookEndpointSerializer
    filterset_class = filters.WebhookEndpointFilterSet
    select_related = ("unit",)
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"secret": "change"}

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("active", None)
        unit = data.pop("unit")
        serializer.instance = services.webhook_add(self.request.user, unit, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "unit" in data and data["unit"] != serializer.instance.unit:
            raise DomainError(_("An endpoint stays in its unit."), field="unit")
        if "url" in data and data["url"] != serializer.instance.url:
            raise DomainError(_("Add a new endpoint for a new address."), field="url")
        serializer.instance = services.webhook_update(
            self.request.user, serializer.instance, name=data.get("name"), active=data.get("active")
        )

    @extend_schema(request=None, responses=s.SecretSerializer)
    @action(detail=True, methods=["post"])
    def secret(self, request: Request, pk: str | None = None) -> Response:
        """A new signing secret, shown once; the old one stops signing at once."""
        endpoint = self.get_object()
        if not has_perm_at(request.user, "bulletins.change_webhookendpoint", endpoint.unit):
            raise PermissionDenied
        return Response({"secret": services.webhook_new_secret(request.user, endpoint)})


class ContactPointViewSet(ScopedViewSet):
    """Where persons agreed to receive bulletins, with when and how; consent is withdrawn,
    never deleted, so that nothing more is sent there."""

    domain_rules = {
        "write": (
            "one live contact per person and channel",
            "consent is not dated in the future",
            "an app inbox needs the person's account; a phone is a Vietnamese mobile number",
        ),
    }
    model = ContactPoint
    serializer_class = s.ContactPointSerializer
    filterset_class = filters.ContactPointFilterSet
    select_related = ("person__unit",)
    http_method_names = ["get", "post", "head", "options"]
    action_scopes = {"withdraw": "change"}

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        serializer.instance = services.contact_point_add(self.request.user, person, **data)

    @extend_schema(request=None, responses=s.ContactPointSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw the consent: nothing more is sent there, queued messages included."""
        point = services.contact_point_withdraw(request.user, self.get_object())
        return Response(self.get_serializer(point).data)
