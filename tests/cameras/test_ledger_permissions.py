"""The permission suite for consent records and the campaign ledger (contributions, expenses)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

from safeward.accounts.models import User
from safeward.cameras import services
from safeward.cameras.models import Campaign, ConsentRecord, Contribution, Expense
from safeward.core.testing import PermissionSuite
from safeward.geo.models import AdminUnit
from tests.cameras.factories import make_camera, make_campaign

CURRENT = ["cam_thinh_khu1_2025", "bai_chay_khu"]


def _admin() -> User:
    return User.objects.get(username="province_admin")


def _day_in(unit: AdminUnit) -> dt.date:
    return min(unit.valid_to or timezone.localdate(), timezone.localdate())


def _campaign_in(unit: AdminUnit) -> Campaign:
    return make_campaign(_admin(), unit, starts_on=_day_in(unit), ends_on=None)


class TestConsentRecordPermissions(PermissionSuite):
    model = ConsentRecord
    basename = "consentrecord"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> ConsentRecord:
        return make_camera(_admin(), unit, installed_on=_day_in(unit)).consents.get()

    def unit_of(self, obj: Any) -> AdminUnit:
        return obj.camera.unit


class LedgerSuite(PermissionSuite):
    """Ledger entries are recorded and voided, never edited or deleted over the API."""

    def unit_of(self, obj: Any) -> AdminUnit:
        return obj.campaign.unit

    def campaign_for(self, unit: AdminUnit) -> Campaign:
        cache: dict[int, Campaign] = self.__dict__.setdefault("_campaigns", {})
        if unit.pk not in cache:
            cache[unit.pk] = _campaign_in(unit)
        return cache[unit.pk]


class TestContributionScope(LedgerSuite):
    """Who sees which contributions, including those recorded before July 2025."""

    model = Contribution
    basename = "contribution"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> Contribution:
        return services.contribution_record(
            _admin(),
            campaign=self.campaign_for(unit),
            amount_vnd=500_000,
            date=_day_in(unit),
            donor_name="Hộ bà Nguyệt",
        )


class TestContributionCreate(LedgerSuite):
    """Who may record a contribution (only in units that exist today)."""

    model = Contribution
    basename = "contribution"
    supports = ("create",)
    placements: ClassVar[list[str]] = CURRENT

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {
            "campaign": self.campaign_for(unit).pk,
            "donor_name": "Hộ ông Quang",
            "amount_vnd": 1_000_000,
            "date": _day_in(unit).isoformat(),
            "listing": "public",
        }


class TestContributionOnAFormerUnitIsRefused(TestContributionCreate):
    """A campaign of a unit that no longer exists takes no contribution dated after it ended."""

    placements: ClassVar[list[str]] = ["cam_thinh_khu1"]

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {**super().create_payload(unit), "date": timezone.localdate().isoformat()}


class TestExpenseScope(LedgerSuite):
    model = Expense
    basename = "expense"
    supports = ("list", "detail")

    def make_object(self, unit: AdminUnit) -> Expense:
        return services.expense_record(
            _admin(),
            campaign=self.campaign_for(unit),
            kind="repairs",
            amount_vnd=300_000,
            date=_day_in(unit),
        )


class TestExpenseCreate(LedgerSuite):
    model = Expense
    basename = "expense"
    supports = ("create",)
    placements: ClassVar[list[str]] = CURRENT

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {
            "campaign": self.campaign_for(unit).pk,
            "kind": "installation",
            "amount_vnd": 800_000,
            "date": _day_in(unit).isoformat(),
        }


class TestExpenseOnAFormerUnitIsRefused(TestExpenseCreate):
    placements: ClassVar[list[str]] = ["cam_thinh_khu1"]

    def create_payload(self, unit: AdminUnit) -> dict[str, Any]:
        return {**super().create_payload(unit), "date": timezone.localdate().isoformat()}
