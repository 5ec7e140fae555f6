"""Coverage and money per unit, rolled up the unit tree through materialised paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from safeward.cameras.choices import CameraStatus
from safeward.cameras.models import Camera, Contribution, Expense
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit


@dataclass(frozen=True)
class Coverage:
    unit: AdminUnit
    cameras_total: int
    cameras_working: int
    neighbourhoods_covered: int
    neighbourhoods_total: int
    raised_vnd: int
    spent_vnd: int

    @property
    def balance_vnd(self) -> int:
        return self.raised_vnd - self.spent_vnd

    @property
    def per_1000_residents(self) -> float | None:
        if not self.unit.population:
            return None
        return round(self.cameras_working * 1000 / self.unit.population, 2)

    @property
    def per_km2(self) -> float | None:
        if not self.unit.area_km2:
            return None
        return round(self.cameras_working / self.unit.area_km2, 2)

    @property
    def label(self) -> str:
        return f"{self.neighbourhoods_covered}/{self.neighbourhoods_total}"


def unit_coverage(unit: AdminUnit, cameras: Any = None) -> Coverage:
    """Cameras, covered neighbourhoods and money for ``unit`` and everything below it."""
    cams = (cameras if cameras is not None else Camera.objects.all()).filter(
        unit__path__startswith=unit.path
    )
    counts = cams.aggregate(
        total=Count("id"), working=Count("id", filter=Q(status=CameraStatus.WORKING))
    )
    hoods = AdminUnit.objects.filter(path__startswith=unit.path, level=UnitLevel.NEIGHBOURHOOD)
    covered = (
        cams.filter(status=CameraStatus.WORKING, unit__level=UnitLevel.NEIGHBOURHOOD)
        .values("unit")
        .distinct()
        .count()
    )
    raised = Contribution.objects.filter(campaign__unit__path__startswith=unit.path).aggregate(
        s=Sum("amount_vnd")
    )["s"]
    spent = Expense.objects.filter(campaign__unit__path__startswith=unit.path).aggregate(
        s=Sum("amount_vnd")
    )["s"]
    return Coverage(
        unit=unit,
        cameras_total=counts["total"],
        cameras_working=counts["working"],
        neighbourhoods_covered=covered,
        neighbourhoods_total=hoods.count(),
        raised_vnd=raised or 0,
        spent_vnd=spent or 0,
    )
