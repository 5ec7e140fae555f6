"""Bulletins end to end on the test database: writing, four eyes, fan-out, exactly-once
sending through real HTTP gateways on 127.0.0.1, retries, restricted cohorts kept from
everyone but their keepers, the public feed and the recipient's answers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import feedparser
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeward.bulletins import services
from safeward.bulletins.cap.alert import parse
from safeward.bulletins.cap.checks import validate
from safeward.bulletins.channels import signature
from safeward.bulletins.choices import AudienceKind, BulletinStatus, DeliveryState
from safeward.bulletins.delivery import claim, fan_out_bulletin, send_due
from safeward.bulletins.models import Bulletin, Cohort, Delivery
from safeward.bulletins.services import Audience, Text
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from safeward.people.models import ContactPoint
from tests.bulletins.factories import Sink, draft, html, sent

pytestmark = pytest.mark.django_db


def test_a_cohort_bulletin_needs_a_second_approver(personas: Any, ward: Any) -> None:
    officer = personas["ward_officer"]
    bulletin = draft(officer, ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])])
    bulletin = services.bulletin_submit(officer, bulletin)
    assert bulletin.status == BulletinStatus.AWAITING
    with pytest.raises(PermissionDenied, match="Another officer"):
        services.bulletin_approve(officer, bulletin)
    with pytest.raises(Exception, match="approved"):
        services.bulletin_send(officer, bulletin)
    approved = services.bulletin_approve(personas["city_officer"], bulletin)
    assert (approved.status, approved.approved_by) == (
        BulletinStatus.APPROVED,
        personas["city_officer"],
    )
    # Nobody outside the bulletin's unit approves it.
    other = draft(officer, ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])])
    services.bulletin_submit(officer, other)
    with pytest.raises(PermissionDenied):
        services.bulletin_approve(personas["other_ward_officer"], other)


def test_the_approver_refuses_a_text_that_names_the_cohort(personas: Any, ward: Any) -> None:
    officer = personas["ward_officer"]
    bulletin = draft(
        officer,
        ward["unit"],
        [Audience(AudienceKind.COHORT, ward["cohort"])],
        texts=[Text("vi", "Gửi nhóm Cai nghiện tại cộng đồng 2026", "Nội dung.")],
    )
    services.bulletin_submit(officer, bulletin)
    with pytest.raises(DomainError, match="names the cohort"):
        services.bulletin_approve(personas["city_officer"], bulletin)


@pytest.mark.parametrize(
    "wording",
    ["Người đang cai nghiện", "For people in drug rehab", "Families with high-risk members"],
)
def test_a_cohort_wording_must_not_reveal_it(personas: Any, demo_units: Any, wording: str) -> None:
    with pytest.raises(DomainError, match="must not say why"):
        services.cohort_create(
            personas["ward_officer"],
            demo_units["cua_ong"],
            kind="high_risk_family",
            name="Hộ có người nguy cơ",
            neutral_wording=wording,
        )


def test_restricted_cohorts_are_seen_by_their_keepers_only(personas: Any, ward: Any) -> None:
    cohort = ward["cohort"]
    assert list(Cohort.objects.restrict(personas["ward_officer"])) == [cohort]
    for name in (
        "group_leader",
        "analyst",
        "other_ward_officer",
        "front_member",
        "city_officer",
        "province_admin",
        "mentor",
        "resident",
    ):
        assert not Cohort.objects.restrict(personas[name]).exists(), name
        with pytest.raises(PermissionDenied):
            services.cohort_members(personas[name], cohort)
    members = services.cohort_members(personas["ward_officer"], cohort)
    assert sorted(m.person.full_name for m in members) == ["Lê Thị B", "Phạm Văn C", "Trần Văn A"]
    event = AuditEvent.objects.filter(action="cohort.list_members").latest("id")
    assert (event.sensitive_read, event.changes, event.object_id) == (
        True,
        {"count": 3},
        str(cohort.pk),
    )


def test_one_message_per_person_and_channel_across_audiences(
    personas: Any, ward: Any, sink: Sink
) -> None:
    bulletin = draft(
        personas["ward_officer"],
        ward["unit"],
        [
            Audience(AudienceKind.COHORT, ward["cohort"]),
            Audience(AudienceKind.GROUP, ward["group"]),
            Audience(AudienceKind.UNIT, ward["unit"]),
        ],
    )
    bulletin = sent(personas, bulletin)
    fan_out_bulletin(bulletin.pk)
    _a, _b, _c, _d = ward["people"]
    rows = sorted(
        Delivery.objects.filter(bulletin=bulletin).values_list(
            "person__full_name", "channel", "audience_kind"
        )
    )
    assert rows == sorted(
        [
            ("Trần Văn A", "sms", "cohort"),
            ("Trần Văn A", "email", "cohort"),
            ("Lê Thị B", "zalo", "cohort"),
            ("Phạm Văn C", "sms", "cohort"),  # also in the group: once, under the cohort
            ("Đỗ Văn D", "email", "group"),
            (ward["resident"].full_name, "app", "unit"),
            (ward["resident"].full_name, "email", "unit"),
        ]
    )
    assert send_due(bulletin_id=bulletin.pk) == 7
    states = dict(
        Delivery.objects.filter(bulletin=bulletin)
        .values_list("channel", "state")
        .order_by("channel")
        .distinct()
    )
    assert states == {"app": "delivered", "email": "sent", "sms": "sent", "zalo": "sent"}
    sms = sink.paths("/sms")
    assert len(sms) == 2
    body = json.loads(sms[0][2])
    assert body["id"] == sms[0][1]["Idempotency-Key"]
    assert "Thông tin cho cư dân phường Cửa Ông" in body["text"]
    assert "Cai nghiện" not in body["text"] and "rehabilitation" not in body["text"]
    zalo = json.loads(sink.paths("/zalo")[0][2])
    assert zalo["phone"].startswith("849") and zalo["tracking_id"].endswith(":zalo")
    assert len(mail.outbox) == 3
    resident_mail = next(m for m in mail.outbox if m.to == ["mai@example.org"])
    assert "List-Unsubscribe" in resident_mail.extra_headers
    assert (
        "Drug situation" in next(m for m in mail.outbox if m.to[0].startswith("p")).subject
        or "Tình hình" in mail.outbox[0].subject
    )


def test_a_killed_fan_out_and_a_killed_sender_lose_nothing_and_double_nothing(
    personas: Any, ward: Any, sink: Sink
) -> None:
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [
                Audience(AudienceKind.COHORT, ward["cohort"]),
                Audience(AudienceKind.GROUP, ward["group"]),
            ],
        ),
    )
    fan_out_bulletin(bulletin.pk, chunk=2)
    # The fan-out's worker died before it recorded the end: run again, nothing is added.
    Bulletin.objects.filter(pk=bulletin.pk).update(fanned_out_at=None)
    fan_out_bulletin(bulletin.pk, chunk=1)
    assert Delivery.objects.filter(bulletin=bulletin).count() == 5
    # A sender claims two rows and dies; another claims none of them while the lease runs.
    dead = claim("dead-worker", bulletin_id=bulletin.pk, limit=2)
    assert len(dead) == 2
    assert send_due(bulletin_id=bulletin.pk, worker="live") == 3
    Delivery.objects.filter(claimed_by="dead-worker").update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send_due(bulletin_id=bulletin.pk, worker="second") == 2
    assert send_due(bulletin_id=bulletin.pk, worker="third") == 0
    keys = [r[1]["Idempotency-Key"] for r in sink.requests] + [
        m.extra_headers["Message-ID"] for m in mail.outbox
    ]
    assert len(keys) == len(set(keys)) == 5
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True)) == {
        "sent"
    }


def test_gateway_errors_are_retried_with_backoff_and_refusals_fail(
    personas: Any, ward: Any, sink: Sink
) -> None:
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])]
        ),
    )
    fan_out_bulletin(bulletin.pk)
    sink.status = 503
    send_due(bulletin_id=bulletin.pk)
    retried = Delivery.objects.get(bulletin=bulletin, person=ward["people"][2], channel="sms")
    assert (retried.state, retried.attempts, retried.error) == ("queued", 1, "HTTP 503")
    assert retried.not_before > timezone.now() + dt.timedelta(seconds=25)
    sink.status = 400
    Delivery.objects.filter(bulletin=bulletin).update(not_before=timezone.now())
    send_due(bulletin_id=bulletin.pk)
    retried.refresh_from_db()
    assert (retried.state, retried.error) == ("failed", "HTTP 400")
    # Email went out the first time: it is not sent again.
    assert Delivery.objects.get(bulletin=bulletin, channel="email").state == "sent"
    assert len(mail.outbox) == 1


def test_withdrawn_consent_and_expiry_stop_sending(personas: Any, ward: Any, sink: Sink) -> None:
    a = ward["people"][0]
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])]
        ),
    )
    fan_out_bulletin(bulletin.pk)
    services.contact_point_withdraw(
        personas["ward_officer"], ContactPoint.objects.get(person=a, kind="sms")
    )
    withdrawn = Delivery.objects.get(bulletin=bulletin, person=a, channel="sms")
    assert (withdrawn.state, withdrawn.error) == ("failed", "consent withdrawn")
    assert ContactPoint.objects.get(person=a, kind="sms").value == ""
    Bulletin.objects.filter(pk=bulletin.pk).update(expires_at=timezone.now())
    assert send_due(bulletin_id=bulletin.pk) == 0
    assert sink.requests == [] and mail.outbox == []
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("error", flat=True)) == {
        "consent withdrawn",
        "expired",
    }


def test_drafts_refuse_bad_input_with_precise_messages(
    personas: Any, ward: Any, demo_units: Any
) -> None:
    officer, unit = personas["ward_officer"], ward["unit"]
    audience = [Audience(AudienceKind.UNIT, unit)]
    cases = [
        ({"texts": [Text("en", "x", "y")]}, "Vietnamese at least"),
        ({"severity": "Huge"}, "not a valid severity"),
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, "expiry must be in the future"),
        ({"area_polygon": [[21, 107], [21.1, 107]]}, "at least three corners"),
        ({"area_circles": [[21, 107, 900]]}, "radius up to 500 km"),
        ({"msg_type": "Update"}, "names the bulletin it changes"),
    ]
    for kwargs, message in cases:
        with pytest.raises(DomainError, match=message):
            draft(officer, unit, audience, **kwargs)
    with pytest.raises(DomainError, match="within your own area"):
        draft(officer, unit, [Audience(AudienceKind.UNIT, demo_units["bai_chay"])])
    with pytest.raises(DomainError, match="cohort does not exist"):
        draft(personas["city_officer"], unit, [Audience(AudienceKind.COHORT, ward["cohort"])])
    with pytest.raises(PermissionDenied):
        draft(personas["group_leader"], unit, audience)
    assert not Bulletin.objects.exists()


def test_the_public_feed_holds_area_bulletins_only_as_valid_cap(
    personas: Any, ward: Any, client: Any, sink: Sink
) -> None:
    public = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [Audience(AudienceKind.UNIT, ward["unit"])],
            area_polygon=[[21.0, 107.3], [21.1, 107.3], [21.1, 107.4]],
        ),
    )
    private = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])]
        ),
    )
    response = client.get("/bulletins/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == ["Tình hình ma túy tháng 12"]
    cap_url = parsed.entries[0].link
    assert public.identifier in cap_url
    document = client.get(cap_url.replace("http://testserver", ""))
    assert validate(document.content) == []
    alert = parse(document.content)
    assert (alert.scope, alert.msg_type, alert.identifier) == ("Public", "Alert", public.identifier)
    assert alert.infos[0].areas[0].polygons[0][0] == alert.infos[0].areas[0].polygons[0][-1]
    assert client.get(f"/bulletins/cap/{private.identifier}.xml").status_code == 404
    assert private.identifier not in response.content.decode()
    page = client.get("/bulletins/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Drug situation in December" in page.content.decode()
    assert "Cai nghiện" not in page.content.decode()


def test_a_private_cap_document_is_valid_and_addresses_no_person(personas: Any, ward: Any) -> None:
    from safeward.bulletins.cap.alert import to_xml
    from safeward.bulletins.documents import cap_alert

    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])]
        ),
    )
    xml = to_xml(cap_alert(bulletin))
    assert validate(xml) == []
    alert = parse(xml)
    assert alert.scope == "Private"
    assert alert.addresses == [f"safeward.quangninh.gov.vn/unit/{ward['unit'].code}"]
    cancel = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [Audience(AudienceKind.COHORT, ward["cohort"])],
            msg_type="Cancel",
            references=bulletin,
        ),
    )
    fan_out_bulletin(cancel.pk)
    cancelled = parse(to_xml(cap_alert(cancel)))
    assert cancelled.references[0][1] == bulletin.identifier
    assert validate(to_xml(cap_alert(cancel))) == []


def test_webhooks_receive_signed_cap(personas: Any, ward: Any, sink: Sink) -> None:
    endpoint = services.webhook_add(
        personas["ward_officer"], ward["unit"], name="Tỉnh", url=sink.url + "/hook"
    )
    bulletin = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    fan_out_bulletin(bulletin.pk)
    send_due(bulletin_id=bulletin.pk)
    ((_path, headers, body),) = sink.paths("/hook")
    assert headers["X-Safeward-Signature"] == signature(endpoint.secret, body)
    assert parse(body).identifier == bulletin.identifier
    assert Delivery.objects.get(endpoint=endpoint).state == DeliveryState.DELIVERED


def test_the_recipient_answers_from_the_inbox(
    personas: Any, ward: Any, client_for: Any, sink: Sink
) -> None:
    bulletin = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    fan_out_bulletin(bulletin.pk)
    send_due(bulletin_id=bulletin.pk)
    browser = client_for("resident")
    page = browser.get("/bulletins/inbox/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Drug situation in December" in page.content.decode()
    delivery = Delivery.objects.get(bulletin=bulletin, channel="app")
    response = browser.post(f"/bulletins/inbox/{delivery.pk}/answer/", {"answer": "information"})
    assert response.status_code == 302
    assert response["Location"] == f"/reports/submit/?bulletin={bulletin.identifier}"
    assert set(
        Delivery.objects.filter(bulletin=bulletin, person=ward["resident"]).values_list(
            "state", "answer"
        )
    ) == {("acknowledged", "information")}
    # Another person's delivery is not there for them.
    other = client_for("ward_officer").post(
        f"/bulletins/inbox/{delivery.pk}/answer/", {"answer": "seen"}
    )
    assert other.status_code == 404
    bad = browser.post(
        f"/bulletins/inbox/{delivery.pk}/answer/", {"answer": "maybe"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert bad.status_code == 400 and "Choose one of the answers" in bad.content.decode()


def test_one_click_unsubscribe(personas: Any, ward: Any, client: Any, sink: Sink) -> None:
    token = ward["resident"].bulletin_subscription.token
    page = client.get(f"/bulletins/unsubscribe/{token}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Ngừng nhận bản tin" in page.content.decode()
    assert ward["resident"].bulletin_subscription.unsubscribed_at is None  # a GET changes nothing
    response = client.post(
        f"/bulletins/unsubscribe/{token}/",
        {"List-Unsubscribe": "One-Click"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "You will receive no more public bulletins." in html(response)
    bulletin = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    fan_out_bulletin(bulletin.pk)
    assert not Delivery.objects.filter(bulletin=bulletin).exists()
    unknown = client.post("/bulletins/unsubscribe/nonsense/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404 and "This link is not valid." in unknown.content.decode()


def test_quiet_hours_hold_all_but_extreme(personas: Any, ward: Any, sink: Sink) -> None:
    resident = ward["resident"]
    now = timezone.localtime()
    start = (now - dt.timedelta(hours=1)).time().replace(microsecond=0)
    end = (now + dt.timedelta(hours=1)).time().replace(microsecond=0)
    services.subscribe(personas["resident"], resident, quiet_from=start, quiet_until=end)
    moderate = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    extreme = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [Audience(AudienceKind.UNIT, ward["unit"])],
            severity="Extreme",
        ),
    )
    fan_out_bulletin(moderate.pk)
    fan_out_bulletin(extreme.pk)
    assert send_due(bulletin_id=moderate.pk) == 0
    assert send_due(bulletin_id=extreme.pk) == 2
    held = Delivery.objects.filter(bulletin=moderate).first()
    assert held is not None and held.not_before > timezone.now() + dt.timedelta(minutes=50)


def test_a_fan_out_whose_worker_died_is_resumed_by_the_periodic_send(
    personas: Any, ward: Any, sink: Sink, settings: Any
) -> None:
    from safeward.bulletins.delivery import resume_fan_outs
    from safeward.bulletins.tasks import send_due_deliveries

    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.COHORT, ward["cohort"])]
        ),
    )
    # The fan-out task died before it began; while its lease runs nothing is resumed.
    assert resume_fan_outs() == []
    long_ago = timezone.now() - dt.timedelta(seconds=settings.SAFEWARD_DELIVERY_LEASE_SECONDS + 1)
    Bulletin.objects.filter(pk=bulletin.pk).update(sent_at=long_ago)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    send_due_deliveries.enqueue()
    bulletin.refresh_from_db()
    assert bulletin.fanned_out_at is not None
    assert (
        sorted(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True))
        == ["sent"] * 4
    )
    assert resume_fan_outs() == []
