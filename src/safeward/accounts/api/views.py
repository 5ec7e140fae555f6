from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from safeward.accounts import services
from safeward.accounts.api.serializers import RoleAssignmentSerializer, UserSerializer
from safeward.accounts.models import RoleAssignment, User
from safeward.core.api import ScopedViewSet
from safeward.core.services import signed_in


class UserViewSet(viewsets.ReadOnlyModelViewSet[User]):
    """Users holding a role inside the caller's units (and the caller)."""

    serializer_class = UserSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return (
            User.objects.restrict(self.request.user, "view")
            .prefetch_related("assignments__role", "assignments__unit")
            .order_by("username")
        )


class RoleAssignmentViewSet(ScopedViewSet):
    model = RoleAssignment
    serializer_class = RoleAssignmentSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]
    domain_rules = {
        "create": (
            "an assignment does not end before it starts",
            "a user holds a role over a unit once at a time",
        ),
    }
    select_related = ("role", "unit", "user")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.role_assign(
            signed_in(self.request.user),
            user=data["user"],
            role=data["role"],
            unit=data["unit"],
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )

    def perform_destroy(self, instance: RoleAssignment) -> None:
        services.role_revoke(signed_in(self.request.user), instance)
