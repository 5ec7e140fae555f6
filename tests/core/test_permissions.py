from __future__ import annotations

from typing import Any

from safeward.core.audit import audit_record
from safeward.core.models import AuditEvent
from safeward.core.testing import PermissionSuite


class TestAuditEventPermissions(PermissionSuite):
    model = AuditEvent
    basename = "auditevent"
    supports = ("list", "detail")

    def make_object(self, unit: Any) -> AuditEvent:
        return audit_record(None, "test.permission", unit)

    def unit_of(self, obj: Any) -> Any:
        from safeward.geo.models import AdminUnit

        return AdminUnit.objects.get(pk=obj.unit_id)

    def test_audit_rows_cannot_be_written_through_the_api(self, personas: dict[str, Any]) -> None:
        client = self.client_for(personas["province_admin"])
        assert client.post("/api/v1/audit-events/", {"action": "x"}).status_code == 405
        assert client.delete("/api/v1/audit-events/1/").status_code == 405
