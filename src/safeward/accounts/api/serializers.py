from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeward.accounts.models import Role, RoleAssignment, User
from safeward.core.api import ModelSerializer, ScopedRelatedField
from safeward.core.personal import NOT_PERSONAL
from safeward.core.scoping import has_perm_anywhere, has_perm_at
from safeward.geo.models import AdminUnit


class AssignmentBriefSerializer(ModelSerializer):
    public_fields = {"unit_name": NOT_PERSONAL}
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "unit", "unit_name", "valid_from", "valid_to"]
        read_only_fields = fields


class UserSerializer(ModelSerializer):
    # Staff act under their own names; accounts are read only by holders of accounts.view_user
    # (officers and administrators), within their scope.
    public_fields = dict.fromkeys(
        ("username", "first_name", "last_name"),
        "a staff account, read only by holders of accounts.view_user within their scope",
    )
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "is_active", "assignments"]

    @extend_schema_field(AssignmentBriefSerializer(many=True))
    def get_assignments(self, user: User) -> list[dict[str, Any]]:
        """The user's assignments in units the caller can see; others are not named at all."""
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        shown = [
            a
            for a in user.assignments.all()
            if viewer is not None
            and (viewer.pk == user.pk or has_perm_at(viewer, "geo.view_adminunit", a.unit))
        ]
        return AssignmentBriefSerializer(shown, many=True).data  # type: ignore[return-value]


class GrantableUserField(ScopedRelatedField):
    """Users the caller may see, plus users placed nowhere yet (whom a grant first places).

    A user with no assignment belongs to no unit, so naming one tells nothing about
    any ward; a user placed elsewhere stays as unknown as a missing id.
    """

    def get_queryset(self) -> QuerySet[Any]:
        visible: QuerySet[Any] = super().get_queryset()
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if not has_perm_anywhere(viewer, "accounts.add_roleassignment"):
            return visible
        grantable: QuerySet[User] = User.objects.filter(
            Q(pk__in=visible.values("pk")) | ~Q(pk__in=RoleAssignment.objects.values("user_id"))
        )
        return grantable


class RoleAssignmentSerializer(ModelSerializer):
    user = GrantableUserField(User)
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", queryset=Role.objects.all()
    )
    unit = ScopedRelatedField(AdminUnit)

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "unit", "valid_from", "valid_to", "created_at"]
        read_only_fields = ["created_at"]
