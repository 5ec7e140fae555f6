"""Fixtures the bulletins tests share: the sink wired as every gateway, and a ward with a
cohort, a group and a subscribed resident."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from safeward.bulletins import services
from safeward.community.models import Group, Membership
from safeward.people.models import Person
from tests.bulletins.factories import Sink


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service messages in English (the source language) so tests can assert their text."""
    with translation.override("en"):
        yield


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    server = Sink()
    settings.SAFEWARD_SMS_GATEWAY_URL = server.url + "/sms"
    settings.SAFEWARD_ZALO_GATEWAY_URL = server.url + "/zalo"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield server
    server.server.shutdown()


@pytest.fixture
def ward(demo_units: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """Cửa Ông with a cohort of three, a group of two (one also in the cohort) and a
    subscribed resident, each with contact points."""
    unit = demo_units["cua_ong"]
    officer = personas["ward_officer"]
    today = timezone.localdate()

    def person(name: str, *kinds: str, user: Any = None) -> Person:
        p = Person.objects.create(unit=unit, full_name=name, user=user)
        for i, kind in enumerate(kinds):
            value = {
                "sms": f"09123456{p.pk % 100:02d}",
                "zalo": f"09876543{p.pk % 100:02d}",
                "email": f"p{p.pk}@example.org",
                "app": "",
            }[kind]
            services.contact_point_add(
                officer,
                p,
                kind=kind,
                value=value,
                consent_on=today,
                consent_method="written",
                language=["vi", "en", "ar"][i % 3],
            )
        return p

    resident_user = personas["resident"]
    resident = getattr(resident_user, "person", None) or Person.objects.create(
        unit=unit, full_name="Ngô Thị Mai", user=resident_user
    )
    services.contact_point_add(
        officer, resident, kind="app", consent_on=today, consent_method="in_app"
    )
    services.contact_point_add(
        officer,
        resident,
        kind="email",
        value="mai@example.org",
        consent_on=today,
        consent_method="in_app",
    )
    services.subscribe(resident_user, resident)
    a = person("Trần Văn A", "sms", "email")
    b = person("Lê Thị B", "zalo")
    c = person("Phạm Văn C", "sms")
    d = person("Đỗ Văn D", "email")
    cohort = services.cohort_create(
        officer,
        unit,
        kind="rehab",
        name="Cai nghiện tại cộng đồng 2026",
        neutral_wording="Thông tin cho cư dân phường Cửa Ông",
    )
    for p in (a, b, c):
        services.cohort_member_add(officer, cohort, p)
    group = Group.objects.create(unit=unit, name="Tổ tự quản số 3", founded_on=dt.date(2020, 1, 1))
    for p in (c, d):
        Membership.objects.create(group=group, person=p, joined_on=dt.date(2021, 1, 1))
    return {
        "unit": unit,
        "cohort": cohort,
        "group": group,
        "people": [a, b, c, d],
        "resident": resident,
    }
