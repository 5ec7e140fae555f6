from __future__ import annotations

from typing import Any

from safeward.accounts.models import Role, RoleAssignment, User
from safeward.core.testing import PermissionSuite


class TestRoleAssignmentPermissions(PermissionSuite):
    model = RoleAssignment
    basename = "roleassignment"
    placements = ["cam_thinh_khu1_2025", "bai_chay_khu"]
    supports = ("list", "detail", "create", "delete")
    _n = 0

    def _user(self) -> User:
        TestRoleAssignmentPermissions._n += 1
        return User.objects.create(username=f"perm-user-{self._n}")

    def make_object(self, unit: Any) -> RoleAssignment:
        return RoleAssignment.objects.create(
            user=self._user(), role=Role.objects.get(code="group_leader"), unit=unit
        )

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"user": self._user().pk, "role": "group_leader", "unit": unit.pk}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {}
