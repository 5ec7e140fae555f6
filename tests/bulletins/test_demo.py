"""The demo's bulletins: the seed's flow, with every figure read back from the records."""

from __future__ import annotations

import random
from typing import Any

import pytest

from safeward.bulletins.choices import BulletinStatus
from safeward.bulletins.models import Bulletin, Cohort, Delivery
from safeward.demo.registry import DemoContext

pytestmark = pytest.mark.django_db


def test_cua_ong_shares_the_drug_situation(demo_units: Any, personas: Any, settings: Any) -> None:
    from safeward.bulletins.demo import populate
    from safeward.community.demo import populate as community
    from safeward.reports.demo import populate as reports

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ctx = DemoContext(
        seed=1, rng=random.Random(1), users=personas, units=demo_units, log=lambda _m: None
    )
    reports(ctx)
    community(ctx)
    populate(ctx)
    drugs = Bulletin.objects.get(event="Tình hình ma túy")
    assert (drugs.status, drugs.approved_by, drugs.created_by) == (
        BulletinStatus.SENT,
        personas["city_officer"],
        personas["ward_officer"],
    )
    assert sorted(Cohort.objects.values_list("kind", flat=True)) == [
        "high_risk_family",
        "rehab",
        "rehab_family",
    ]
    kinds = set(Delivery.objects.filter(bulletin=drugs).values_list("audience_kind", flat=True))
    assert kinds == {"group", "cohort"}
    channels = set(Delivery.objects.filter(bulletin=drugs).values_list("channel", "state"))
    assert ("email", "sent") in channels or ("email", "acknowledged") in channels
    informed = Delivery.objects.get(bulletin=drugs, answer="information")
    assert informed.report is not None and "Công an phường" in informed.report.description
    assert Delivery.objects.filter(bulletin=drugs, answer="seen").count() >= 10
    public = Bulletin.objects.get(event="Lừa đảo qua điện thoại")
    inbox = Delivery.objects.get(bulletin=public, channel="app")
    assert inbox.person.user == personas["resident"] and inbox.state == "delivered"
