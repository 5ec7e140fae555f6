from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from safeward.core.testing import PermissionSuite
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.services import set_path

_codes = itertools.count(1)


class TestAdminUnitPermissions(PermissionSuite):
    model = AdminUnit
    basename = "unit"

    def make_object(self, unit: AdminUnit) -> AdminUnit:
        # A street-level child of the neighbourhood is not a real level; the object *is* a neighbourhood
        # created beside the placement, under the same ward.
        ward = unit.parent
        child = AdminUnit.objects.create(
            code=f"T-{next(_codes)}",
            name="Khu thử",
            level=UnitLevel.NEIGHBOURHOOD,
            parent=ward,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
        )
        set_path(child)
        return child

    def unit_of(self, obj: AdminUnit) -> AdminUnit:
        return obj

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {
            "parent": unit.parent_id,
            "code": f"C-{next(_codes)}",
            "name": "Khu mới",
            "level": UnitLevel.NEIGHBOURHOOD,
            "kind": "Khu phố",
        }

    def update_payload(self, obj: AdminUnit) -> dict[str, Any]:
        return {"name": obj.name + " (sửa)"}


class TestUnitSuccessionPermissions(PermissionSuite):
    model = UnitSuccession
    basename = "unitsuccession"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> UnitSuccession:
        # The placement's unit passes a share to a new neighbourhood beside it, in the same ward.
        successor = TestAdminUnitPermissions().make_object(unit)
        return UnitSuccession.objects.create(
            predecessor=unit, successor=successor, date=dt.date(2025, 7, 1), share=0.5
        )

    def unit_of(self, obj: UnitSuccession) -> AdminUnit:
        return obj.predecessor
