"""Every community endpoint, checked for every persona and placement."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from safeward.community.models import (
    FortressAssessment,
    FortressCriterion,
    Group,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.core.testing import PLACEMENTS, PermissionSuite
from tests.community import factories as f

_n = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


class TestGroupPermissions(PermissionSuite):
    model = Group
    basename = "group"

    def make_object(self, unit: Any) -> Model:
        return f.led_group(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "name": f"Tổ mới {next(_n)}", "group_type": "inter_family"}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"households_covered": 12}


class TestMembershipPermissions(PermissionSuite):
    model = Membership
    basename = "membership"

    @pytest.fixture(autouse=True)
    def _led_groups(self, demo_units: dict[str, Any]) -> None:
        # Made before the suite counts rows: each holds the persona's leader membership.
        for placement in PLACEMENTS:
            f.shared_led_group(demo_units[placement])

    def make_object(self, unit: Any) -> Model:
        return f.member(f.led_group(unit))

    def unit_of(self, obj: Any) -> Any:
        return obj.group.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        group = f.shared_led_group(unit)
        person = f.PersonFactory(unit=unit)
        return {"group": group.pk, "person": person.pk, "role": "member"}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"role": "deputy"}


class TestPatrolPermissions(PermissionSuite):
    model = Patrol
    basename = "patrol"

    def make_object(self, unit: Any) -> Model:
        return f.patrol(f.led_group(unit))

    def unit_of(self, obj: Any) -> Any:
        return obj.group.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        group = f.led_group(unit)
        return {
            "group": group.pk,
            "date": today().isoformat(),
            "start_time": "21:00",
            "end_time": "23:00",
            "area": "Chợ Cửa Ông",
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"observed": "Bình thường"}


class TestRosterSlotPermissions(PermissionSuite):
    model = RosterSlot
    basename = "rosterslot"
    supports = ("list", "detail", "create", "delete")

    def make_object(self, unit: Any) -> Model:
        return f.roster_slot(f.led_group(unit))

    def unit_of(self, obj: Any) -> Any:
        return obj.group.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        m = f.member(f.led_group(unit))
        return {
            "group": m.group_id,
            "person": m.person_id,
            "date": today().isoformat(),
            "start_time": "19:00",
            "end_time": "21:00",
        }


class TestMovementModelPermissions(PermissionSuite):
    model = MovementModel
    basename = "movementmodel"

    def make_object(self, unit: Any) -> Model:
        return f.movement_model(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "name": "Dân vận khéo phòng chống ma túy",
            "theme": "drug_prevention",
            "lead_organisation": "police",
            "start_date": today().isoformat(),
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"status": "running"}


class TestModelEvaluationPermissions(PermissionSuite):
    model = ModelEvaluation
    basename = "modelevaluation"

    def make_object(self, unit: Any) -> Model:
        return f.evaluation(f.movement_model(unit))

    def unit_of(self, obj: Any) -> Any:
        return obj.movement_model.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        model = f.movement_model(unit)
        return {"movement_model": model.pk, "date": today().isoformat(), "score": 80}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"score": 65}


class TestFortressAssessmentPermissions(PermissionSuite):
    model = FortressAssessment
    basename = "fortressassessment"

    def make_object(self, unit: Any) -> Model:
        return f.assessment(unit)

    def create_payload(self, unit: Any) -> dict[str, Any]:
        start = dt.date(2025, 8, 1) + dt.timedelta(days=next(_n) * 40)
        return {
            "unit": unit.pk,
            "period_start": start.isoformat(),
            "period_end": (start + dt.timedelta(days=30)).isoformat(),
            "criteria": f.all_checks(),
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"note": "Đã rà soát lại"}


class TestShieldPledgePermissions(PermissionSuite):
    model = ShieldPledge
    basename = "shieldpledge"

    def make_object(self, unit: Any) -> Model:
        return f.pledge(unit)

    def unit_of(self, obj: Any) -> Any:
        return obj.household.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        household = f.HouseholdFactory(unit=unit)
        return {"household": household.pk, "signed_by": "Chủ hộ"}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"note": "Ký lại"}


class TestFortressCriterionPermissions(PermissionSuite):
    """Criteria belong to the placement's ward (provinces and wards add them)."""

    model = FortressCriterion
    basename = "fortresscriterion"
    supports = ("list", "detail", "create", "update")

    def make_object(self, unit: Any) -> Model:
        return FortressCriterion.objects.create(
            unit=unit.parent, code=f"crit-{next(_n)}", label="Không có tụ điểm"
        )

    def unit_of(self, obj: Any) -> Any:
        return obj.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.parent_id, "code": f"crit-{next(_n)}", "label": "Không có cờ bạc"}

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"label": "Không có cờ bạc, số đề", "active": False}
