"""The bulletins API as a client meets it: a bulletin written, submitted, approved by a
second officer and sent over HTTP; restricted cohorts and the deliveries to them kept from
everyone but their keepers; every listing of a cohort's members audited; bad input answered
with a precise 4xx that leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safeward.bulletins.choices import AudienceKind, BulletinStatus
from safeward.bulletins.delivery import fan_out_bulletin
from safeward.bulletins.models import Bulletin, BulletinText, Delivery, WebhookEndpoint
from safeward.bulletins.services import Audience
from safeward.core.models import AuditEvent
from safeward.people.models import ContactPoint
from tests.bulletins.factories import data, draft, sent

pytestmark = pytest.mark.django_db


def client_for(user: Any, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def payload(ward: dict[str, Any], audiences: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "unit": ward["unit"].pk,
        "category": "Security",
        "event": "Tình hình ma túy",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "expires_at": (timezone.now() + dt.timedelta(days=5)).isoformat(),
        "texts": [
            {
                "language": "vi",
                "headline": "Thông tin tình hình an ninh tháng 12",
                "description": "Công an phường thông báo tình hình.",
                "instruction": "Báo tin cho công an phường.",
            },
            {
                "language": "en",
                "headline": "Security in December",
                "description": "The ward police share the situation.",
            },
        ],
        "audiences": audiences,
    }


def test_a_cohort_bulletin_goes_through_four_eyes_over_http(personas: Any, ward: Any) -> None:
    officer = client_for(personas["ward_officer"])
    body = payload(ward, [{"kind": "cohort", "cohort": ward["cohort"].pk}])
    created = officer.post(reverse("bulletin-list"), body, format="json")
    assert created.status_code == 201, created.content
    made = created.json()
    assert made["status"] == "draft"
    assert {t["language"] for t in made["texts"]} == {"vi", "en"}
    assert made["audiences"] == [
        {"kind": "cohort", "unit": None, "group": None, "cohort": ward["cohort"].pk}
    ]
    pk = made["id"]

    submitted = officer.post(reverse("bulletin-submit", args=[pk]))
    assert submitted.json()["status"] == BulletinStatus.AWAITING
    # The author may not approve their own bulletin to a cohort, nor send it unapproved.
    own = officer.post(reverse("bulletin-approve", args=[pk]))
    assert own.status_code == 403
    assert "Another officer" in own.json()["detail"]
    early = officer.post(reverse("bulletin-send", args=[pk]))
    assert early.status_code == 409
    assert Bulletin.objects.get(pk=pk).status == BulletinStatus.AWAITING

    approver = client_for(personas["city_officer"])
    approved = approver.post(reverse("bulletin-approve", args=[pk]))
    assert data(approved)["status"] == BulletinStatus.APPROVED
    # The approver sees which cohort receives it, to check its wording.
    assert approved.json()["audiences"][0]["cohort"] == ward["cohort"].pk

    sent_now = officer.post(reverse("bulletin-send", args=[pk]))
    assert sent_now.json()["status"] == BulletinStatus.SENT
    fan_out_bulletin(pk)
    people = {p.pk for p in ward["people"][:3]}
    assert set(Delivery.objects.filter(bulletin_id=pk).values_list("person_id", flat=True)) == (
        people
    )


def test_deliveries_to_a_cohort_are_counted_for_its_keepers_only(personas: Any, ward: Any) -> None:
    bulletin = draft(
        personas["ward_officer"],
        ward["unit"],
        [
            Audience(AudienceKind.COHORT, ward["cohort"]),
            Audience(AudienceKind.GROUP, ward["group"]),
        ],
    )
    bulletin = sent(personas, bulletin)
    fan_out_bulletin(bulletin.pk)
    cohort_rows = Delivery.objects.filter(bulletin=bulletin, audience_kind="cohort")
    group_rows = Delivery.objects.filter(bulletin=bulletin, audience_kind="group")
    assert cohort_rows.count() >= 3 and group_rows.count() >= 1
    url = reverse("bulletin-counts", args=[bulletin.pk])

    keeper = client_for(personas["ward_officer"]).get(url).json()["by_channel"]
    # A restricted bulletin's counts of 1 to 4 are withheld even from its keepers.
    assert keeper, keeper
    for states in keeper.values():
        assert all(n is None or n >= 5 for n in states.values()), keeper

    city = personas["city_officer"]
    seen = set(
        Delivery.objects.restrict(city).filter(bulletin=bulletin).values_list("pk", flat=True)
    )
    assert seen == set(group_rows.values_list("pk", flat=True))
    assert not seen & set(cohort_rows.values_list("pk", flat=True))
    assert (
        Delivery.objects.restrict(personas["ward_officer"])
        .filter(bulletin=bulletin, audience_kind="cohort")
        .count()
        == cohort_rows.count()
    )
    # An approver sees which cohort receives it; the Front, who read bulletins, only that
    # a cohort does.
    url = reverse("bulletin-detail", args=[bulletin.pk])
    approver = client_for(city).get(url).json()
    assert [a["cohort"] for a in approver["audiences"] if a["kind"] == "cohort"] == [
        ward["cohort"].pk
    ]
    front = client_for(personas["front_member"]).get(url)
    assert [a["cohort"] for a in data(front)["audiences"] if a["kind"] == "cohort"] == [None]
    assert (
        "by_channel"
        in client_for(personas["front_member"])
        .get(reverse("bulletin-counts", args=[bulletin.pk]))
        .json()
    )


def test_only_keepers_see_cohorts_and_every_members_listing_is_audited(
    personas: Any, ward: Any
) -> None:
    cohort = ward["cohort"]
    keeper = client_for(personas["ward_officer"])
    listed = keeper.get(reverse("cohort-list")).json()["results"]
    assert cohort.pk in {row["id"] for row in listed}
    before = AuditEvent.objects.filter(action="cohort.list_members").count()
    members = keeper.get(reverse("cohort-members", args=[cohort.pk]))
    names = {row["person_name"] for row in data(members)}
    assert names == {p.full_name for p in ward["people"][:3]}
    event = AuditEvent.objects.filter(action="cohort.list_members").latest("id")
    assert AuditEvent.objects.filter(action="cohort.list_members").count() == before + 1
    assert event.actor_id == personas["ward_officer"].pk
    assert event.sensitive_read

    for name in ("city_officer", "province_admin", "group_leader", "front_member", "resident"):
        other = client_for(personas[name])
        assert cohort.pk not in {
            row["id"] for row in other.get(reverse("cohort-list")).json().get("results", [])
        }, name
        assert other.get(reverse("cohort-members", args=[cohort.pk])).status_code == 404, name
    assert AuditEvent.objects.filter(action="cohort.list_members").count() == before + 1


def test_removing_a_member_keeps_the_row_dated_and_refuses_a_stranger(
    personas: Any, ward: Any
) -> None:
    cohort, (a, *_rest) = ward["cohort"], ward["people"]
    keeper = client_for(personas["ward_officer"])
    removed = keeper.post(
        reverse("cohort-remove-member", args=[cohort.pk]), {"person": a.pk}, format="json"
    )
    assert data(removed)["removed_on"] == timezone.localdate().isoformat()
    again = keeper.post(
        reverse("cohort-remove-member", args=[cohort.pk]), {"person": a.pk}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["errors"]["person"] == ["This person is not in the cohort."]
    names = {
        row["person_name"] for row in keeper.get(reverse("cohort-members", args=[cohort.pk])).json()
    }
    assert a.full_name not in names and len(names) == 2


def test_bad_bulletins_are_refused_in_the_users_language_and_leave_nothing(
    personas: Any, ward: Any
) -> None:
    before = (Bulletin.objects.count(), BulletinText.objects.count())
    officer = client_for(personas["ward_officer"], "vi")
    two_targets = payload(
        ward, [{"kind": "unit", "unit": ward["unit"].pk, "group": ward["group"].pk}]
    )
    answer = officer.post(reverse("bulletin-list"), two_targets, format="json")
    assert answer.status_code == 400
    assert "Một đối tượng nhận" in str(answer.json()), answer.json()
    past = payload(ward, [{"kind": "unit", "unit": ward["unit"].pk}])
    past["expires_at"] = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    answer = officer.post(reverse("bulletin-list"), past, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"]["expires_at"] == ["Thời điểm hết hiệu lực phải ở tương lai."]
    english_only = payload(ward, [{"kind": "unit", "unit": ward["unit"].pk}])
    english_only["texts"] = english_only["texts"][1:]
    answer = officer.post(reverse("bulletin-list"), english_only, format="json")
    assert answer.status_code == 400
    assert (Bulletin.objects.count(), BulletinText.objects.count()) == before


def test_a_draft_is_deleted_but_a_sent_bulletin_is_kept(personas: Any, ward: Any) -> None:
    officer = client_for(personas["ward_officer"])
    unit_audience = [Audience(AudienceKind.UNIT, ward["unit"])]
    gone = draft(personas["ward_officer"], ward["unit"], unit_audience)
    assert officer.delete(reverse("bulletin-detail", args=[gone.pk])).status_code == 204
    assert not Bulletin.objects.filter(pk=gone.pk).exists()
    kept = sent(personas, draft(personas["ward_officer"], ward["unit"], unit_audience))
    answer = officer.delete(reverse("bulletin-detail", args=[kept.pk]))
    assert answer.status_code == 409
    assert answer.json()["detail"] == "Only a draft can be deleted."
    assert Bulletin.objects.filter(pk=kept.pk).exists()


def test_a_webhook_secret_is_shown_once_and_replaced(personas: Any, ward: Any) -> None:
    officer = client_for(personas["ward_officer"])
    made = officer.post(
        reverse("webhookendpoint-list"),
        {"unit": ward["unit"].pk, "name": "Trung tâm chỉ huy", "url": "https://cap.example.org/in"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert "secret" not in made.json()
    pk = made.json()["id"]
    old = WebhookEndpoint.objects.get(pk=pk).secret
    new = officer.post(reverse("webhookendpoint-secret", args=[pk])).json()["secret"]
    assert new == WebhookEndpoint.objects.get(pk=pk).secret and new != old and len(new) == 64
    assert "secret" not in officer.get(reverse("webhookendpoint-detail", args=[pk])).json()
    moved = officer.patch(
        reverse("webhookendpoint-detail", args=[pk]),
        {"url": "https://elsewhere.example.org/in"},
        format="json",
    )
    assert moved.status_code == 400
    assert moved.json()["errors"]["url"] == ["Add a new endpoint for a new address."]
    plain = officer.post(
        reverse("webhookendpoint-list"),
        {"unit": ward["unit"].pk, "name": "Plain", "url": "http://cap.example.org/in"},
        format="json",
    )
    assert plain.status_code == 400
    assert WebhookEndpoint.objects.filter(name="Plain").count() == 0


def test_withdrawn_consent_is_kept_and_stops_the_channel(personas: Any, ward: Any) -> None:
    officer = client_for(personas["ward_officer"])
    point = ContactPoint.objects.filter(person=ward["people"][0], kind="sms").get()
    answer = officer.post(reverse("contactpoint-withdraw", args=[point.pk]))
    assert data(answer)["withdrawn_at"]
    point.refresh_from_db()
    assert point.withdrawn_at is not None
    again = officer.post(
        reverse("contactpoint-list"),
        {
            "person": ward["people"][0].pk,
            "kind": "sms",
            "value": "0912345678",
            "consent_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "consent_method": "written",
        },
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["errors"]["consent_on"] == ["Consent cannot be dated in the future."]
