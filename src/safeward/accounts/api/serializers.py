from __future__ import annotations

from rest_framework import serializers

from safeward.accounts.models import Role, RoleAssignment, User
from safeward.core.api import ModelSerializer
from safeward.geo.models import AdminUnit


class AssignmentBriefSerializer(ModelSerializer):
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "unit", "unit_name", "valid_from", "valid_to"]


class UserSerializer(ModelSerializer):
    assignments = AssignmentBriefSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "is_active", "assignments"]


class RoleAssignmentSerializer(ModelSerializer):
    user: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all()
    )
    role: serializers.SlugRelatedField[Role] = serializers.SlugRelatedField(
        slug_field="code", queryset=Role.objects.all()
    )
    unit: serializers.PrimaryKeyRelatedField[AdminUnit] = serializers.PrimaryKeyRelatedField(
        queryset=AdminUnit.objects.all()
    )

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "unit", "valid_from", "valid_to", "created_at"]
        read_only_fields = ["created_at"]
