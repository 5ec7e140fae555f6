"""Every bulletins endpoint, checked for every persona and placement: bulletins, restricted
cohorts (their own permission, whatever else a persona holds), subscriptions, webhook
endpoints and contact points."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.db.models import Model
from django.utils import timezone

from safeward.bulletins.choices import AudienceKind
from safeward.bulletins.models import (
    VIEW_RESTRICTED,
    Bulletin,
    BulletinAudience,
    BulletinText,
    Cohort,
    Subscription,
    WebhookEndpoint,
)
from safeward.core.testing import PermissionSuite
from safeward.people.models import ContactPoint, Person

_n = itertools.count(1)


def _person(unit: Any) -> Person:
    return Person.objects.create(unit=unit, full_name=f"Nguyễn Văn {next(_n)}")


def _expires() -> str:
    return (timezone.now() + dt.timedelta(days=3)).isoformat()


class TestBulletinPermissions(PermissionSuite):
    model = Bulletin
    basename = "bulletin"
    supports = ("list", "detail", "create", "delete")

    def make_object(self, unit: Any) -> Model:
        bulletin = Bulletin.objects.create(
            unit=unit,
            category="Security",
            event="Tình hình ma túy",
            urgency="Expected",
            severity="Moderate",
            certainty="Likely",
            expires_at=timezone.now() + dt.timedelta(days=3),
        )
        BulletinText.objects.create(
            bulletin=bulletin, language="vi", headline="Tình hình ma túy", description="Nội dung."
        )
        BulletinAudience.objects.create(bulletin=bulletin, kind=AudienceKind.UNIT, unit=unit)
        return bulletin

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "category": "Security",
            "event": "Tình hình ma túy",
            "urgency": "Expected",
            "severity": "Moderate",
            "certainty": "Likely",
            "expires_at": _expires(),
            "texts": [
                {
                    "language": "vi",
                    "headline": f"Tình hình ma túy {next(_n)}",
                    "description": "Công an phường thông báo tình hình.",
                }
            ],
            "audiences": [{"kind": "unit", "unit": unit.pk}],
        }


class TestCohortPermissions(PermissionSuite):
    model = Cohort
    basename = "cohort"
    supports = ("list", "detail", "create")

    def perm(self, action: str) -> str:
        # Seeing a restricted cohort needs its own permission, whatever else one holds.
        return VIEW_RESTRICTED if action == "view" else super().perm(action)

    def make_object(self, unit: Any) -> Model:
        return Cohort.objects.create(
            unit=unit,
            kind="rehab",
            name=f"Cai nghiện tại cộng đồng {next(_n)}",
            neutral_wording="Thông tin cho cư dân trong phường",
        )

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "kind": "high_risk_family",
            "name": f"Gia đình có người nguy cơ {next(_n)}",
            "neutral_wording": "Thông tin cho cư dân trong phường",
        }


class TestSubscriptionPermissions(PermissionSuite):
    # A person's contacts and choices follow the person, kept under whichever unit.
    creates_under_dissolved_units = True
    model = Subscription
    basename = "subscription"
    supports = ("list", "detail", "create")

    def make_object(self, unit: Any) -> Model:
        return Subscription.objects.create(person=_person(unit), topics=["Security"])

    def unit_of(self, obj: Any) -> Any:
        return obj.person.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {"person": _person(unit).pk, "topics": ["Security"], "channels": ["sms"]}


class TestWebhookEndpointPermissions(PermissionSuite):
    model = WebhookEndpoint
    basename = "webhookendpoint"
    supports = ("list", "detail", "create", "update")

    def make_object(self, unit: Any) -> Model:
        return WebhookEndpoint.objects.create(
            unit=unit, name=f"Hệ thống {next(_n)}", url="https://alerts.example.org/cap"
        )

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "name": f"Hệ thống {next(_n)}",
            "url": "https://alerts.example.org/cap",
        }

    def update_payload(self, obj: Any) -> dict[str, Any]:
        return {"active": False}


class TestContactPointPermissions(PermissionSuite):
    # A person's contacts and choices follow the person, kept under whichever unit.
    creates_under_dissolved_units = True
    model = ContactPoint
    basename = "contactpoint"
    supports = ("list", "detail", "create")

    def make_object(self, unit: Any) -> Model:
        return ContactPoint.objects.create(
            person=_person(unit),
            kind="email",
            value=f"p{next(_n)}@example.org",
            consent_on=timezone.localdate(),
            consent_method="written",
        )

    def unit_of(self, obj: Any) -> Any:
        return obj.person.unit

    def create_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "person": _person(unit).pk,
            "kind": "email",
            "value": f"p{next(_n)}@example.org",
            "consent_on": timezone.localdate().isoformat(),
            "consent_method": "written",
        }
