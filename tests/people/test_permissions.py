"""Households and persons: every persona sees and changes exactly its scope."""

from __future__ import annotations

import itertools
from typing import Any

from django.db.models import Model

from safeward.core.testing import PermissionSuite
from safeward.people.models import Household, Person

_n = itertools.count(1)


class TestHouseholdPermissions(PermissionSuite):
    model = Household
    basename = "household"

    def make_object(self, unit: Any) -> Model:
        return Household.objects.create(unit=unit, label=f"Hộ ông Trần Văn {next(_n)}", members=4)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "label": f"Hộ bà Lê Thị {next(_n)}", "members": 3}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"members": 5}


class TestPersonPermissions(PermissionSuite):
    model = Person
    basename = "person"

    def make_object(self, unit: Any) -> Model:
        return Person.objects.create(unit=unit, full_name=f"Nguyễn Văn {next(_n)}")

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "full_name": f"Phạm Thị {next(_n)}", "birth_year": 1980}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"birth_year": 1975}
