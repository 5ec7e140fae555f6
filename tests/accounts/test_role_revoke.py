from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from safeward.accounts.models import RoleAssignment, User
from safeward.accounts.services import role_revoke
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _first_assignment(user: Any) -> RoleAssignment:
    assignment = user.assignments.order_by("pk").first()
    assert isinstance(assignment, RoleAssignment)
    return assignment


def _revokes(assignment: RoleAssignment) -> int:
    return AuditEvent.objects.filter(action="role.revoke", object_id=str(assignment.pk)).count()


def test_an_admin_cannot_revoke_their_own_last_admin_role(personas: dict[str, Any]) -> None:
    admin = personas["province_admin"]
    assignment = admin.assignments.get()
    response = _api(admin).delete(
        f"/api/v1/role-assignments/{assignment.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "your own last administrator role" in str(response.json())
    assignment.refresh_from_db()
    assert assignment.valid_to is None and _revokes(assignment) == 0


def test_nobody_can_revoke_the_last_administrator_of_a_unit(personas: dict[str, Any]) -> None:
    root = User.objects.create_superuser("root_for_test", password="Một-mật-khẩu-dài-2025")
    assignment = _first_assignment(personas["province_admin"])
    with pytest.raises(DomainError, match="last administrator"):
        role_revoke(root, assignment)
    assignment.refresh_from_db()
    assert assignment.valid_to is None and _revokes(assignment) == 0


def test_an_administrator_covered_by_another_one_can_be_revoked(personas: dict[str, Any]) -> None:
    assignment = _first_assignment(personas["city_officer"])
    response = _api(personas["province_admin"]).delete(f"/api/v1/role-assignments/{assignment.pk}/")
    assert response.status_code == 204
    assignment.refresh_from_db()
    assert assignment.valid_to is not None and _revokes(assignment) == 1


def test_revoking_an_ended_assignment_again_is_refused_without_a_second_audit_event(
    personas: dict[str, Any],
) -> None:
    admin = personas["province_admin"]
    assignment = _first_assignment(personas["ward_officer"])
    role_revoke(admin, assignment)
    response = _api(admin).delete(
        f"/api/v1/role-assignments/{assignment.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409  # the assignment's state, not the request, is at fault
    assert "already ended" in str(response.json())
    assert _revokes(assignment) == 1
