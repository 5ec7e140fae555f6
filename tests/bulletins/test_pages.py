"""The staff pages as an officer uses them: writing a bulletin in a form, submitting it,
a second officer approving it, sending, reading the counts, resending to those who have
not answered, and the printable loudspeaker script; cohorts named only to their keepers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from safeward.bulletins.choices import AudienceKind, BulletinStatus, DeliveryState
from safeward.bulletins.delivery import fan_out_bulletin
from safeward.bulletins.models import Bulletin, Delivery
from safeward.bulletins.services import Audience
from tests.bulletins.factories import draft, html, sent
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def form_data(ward: dict[str, Any], **extra: Any) -> dict[str, Any]:
    expires = timezone.localtime() + dt.timedelta(days=3)
    return {
        "unit": ward["unit"].pk,
        "msg_type": "Alert",
        "category": "Security",
        "event": "Tình hình ma túy",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "expires_at": expires.strftime("%Y-%m-%dT%H:%M"),
        "headline_vi": "Cảnh giác với đối tượng lôi kéo thanh thiếu niên",
        "description_vi": "Công an phường thông báo tình hình tháng 12.",
        "instruction_vi": "Báo tin cho công an phường.",
        **extra,
    }


def test_an_officer_writes_submits_and_a_second_officer_approves(personas: Any, ward: Any) -> None:
    officer = signed_in_client(personas["ward_officer"])
    page = officer.get(reverse("bulletins:add"))
    # The keeper is offered the cohort by name; the city officer is not offered it at all.
    assert ward["cohort"].name in html(page)
    city_form = signed_in_client(personas["city_officer"]).get(reverse("bulletins:add"))
    assert ward["cohort"].name not in city_form.content.decode()

    answer = officer.post(
        reverse("bulletins:add"), form_data(ward, cohorts=[ward["cohort"].pk]), follow=True
    )
    bulletin = Bulletin.objects.get(event="Tình hình ma túy", unit=ward["unit"])
    assert answer.redirect_chain[-1][0] == reverse("bulletins:bulletin", args=[bulletin.pk])
    assert bulletin.status == BulletinStatus.DRAFT
    assert [t.language for t in bulletin.texts.all()] == ["vi"]
    assert list(bulletin.audiences.values_list("kind", "cohort")) == [
        (AudienceKind.COHORT, ward["cohort"].pk)
    ]
    officer.post(reverse("bulletins:submit", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.AWAITING
    # The author's page offers no approval; the approver's does.
    own = officer.get(reverse("bulletins:bulletin", args=[bulletin.pk])).content.decode()
    assert 'id="approve"' not in own and "một cán bộ thứ hai phê duyệt" in own
    approver = signed_in_client(personas["city_officer"])
    their = approver.get(reverse("bulletins:bulletin", args=[bulletin.pk])).content.decode()
    assert 'id="approve"' in their
    # The approver reads the neutral wording the recipients will read, to check it.
    assert ward["cohort"].neutral_wording in their
    approver.post(reverse("bulletins:approve", args=[bulletin.pk]), {"confirmed": "1"})
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.approved_by) == (
        BulletinStatus.APPROVED,
        personas["city_officer"],
    )
    officer.post(reverse("bulletins:send", args=[bulletin.pk]), {"confirmed": "1"})
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT


def test_the_form_refuses_bad_input_beside_the_field_and_saves_nothing(
    personas: Any, ward: Any
) -> None:
    officer = signed_in_client(personas["ward_officer"])
    before = Bulletin.objects.count()
    no_audience = officer.post(reverse("bulletins:add"), form_data(ward))
    assert no_audience.status_code == 400
    assert "Hãy chọn người nhận bản tin." in no_audience.content.decode()
    half = officer.post(
        reverse("bulletins:add"),
        form_data(ward, area_units=[ward["unit"].pk], headline_en="Only a headline"),
    )
    assert half.status_code == 400
    assert "Hãy viết cả tiêu đề và nội dung bằng Tiếng Anh, hoặc bỏ trống cả hai." in (
        half.content.decode()
    )
    past = form_data(ward, area_units=[ward["unit"].pk])
    past["expires_at"] = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    expired = officer.post(reverse("bulletins:add"), past)
    assert expired.status_code == 400
    assert "Thời điểm hết hiệu lực phải ở tương lai." in expired.content.decode()
    assert Bulletin.objects.count() == before


def test_the_page_counts_deliveries_and_the_keeper_alone_sees_the_cohort(
    personas: Any, ward: Any
) -> None:
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"],
            ward["unit"],
            [
                Audience(AudienceKind.GROUP, ward["group"]),
                Audience(AudienceKind.COHORT, ward["cohort"]),
            ],
        ),
    )
    fan_out_bulletin(bulletin.pk)
    url = reverse("bulletins:bulletin", args=[bulletin.pk])
    keeper = signed_in_client(personas["ward_officer"]).get(url).content.decode()
    assert ward["cohort"].name in keeper and 'id="deliveries"' in keeper
    # Fewer than five in the cohort: its counts read "<5", never the number.
    assert "&lt;5" in keeper
    front = signed_in_client(personas["front_member"]).get(url)
    text = html(front)
    assert ward["cohort"].name not in text and "Một nhóm hạn chế" in text
    assert ward["group"].name in text
    # A restricted bulletin is never read over the loudspeakers.
    script = signed_in_client(personas["ward_officer"]).get(
        reverse("bulletins:script", args=[bulletin.pk])
    )
    assert "không bao giờ được đọc trên loa" in script.content.decode()


def test_the_loudspeaker_script_reads_the_vietnamese_text(personas: Any, ward: Any) -> None:
    bulletin = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    page = signed_in_client(personas["ward_officer"]).get(
        reverse("bulletins:script", args=[bulletin.pk])
    )
    text = page.content.decode()
    assert "Tình hình ma túy tháng 12" in text
    assert "Công an phường thông báo tình hình." in text
    assert "Báo tin cho công an phường." in text
    assert "Drug situation in December" not in text


def test_resend_reaches_only_those_who_have_not_answered(personas: Any, ward: Any) -> None:
    bulletin = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.GROUP, ward["group"])]
        ),
    )
    fan_out_bulletin(bulletin.pk)
    long_ago = timezone.now() - dt.timedelta(hours=30)
    Bulletin.objects.filter(pk=bulletin.pk).update(sent_at=long_ago)
    rows = Delivery.objects.filter(bulletin=bulletin)
    rows.update(state=DeliveryState.SENT, sent_at=long_ago)
    people = sorted({d.person_id for d in rows})
    assert len(people) == 2
    rows.filter(person_id=people[0]).update(answer="seen", state=DeliveryState.ACKNOWLEDGED)
    officer = signed_in_client(personas["ward_officer"])
    url = reverse("bulletins:resend", args=[bulletin.pk])
    officer.post(url, {"after_hours": "24", "confirmed": "1"})
    again = Delivery.objects.filter(bulletin=bulletin, key__contains=":r")
    assert {d.person_id for d in again} == {people[1]}
    assert all(d.state == DeliveryState.QUEUED for d in again)
    # Asked twice, the round adds nothing more.
    officer.post(url, {"after_hours": "24", "confirmed": "1"})
    assert Delivery.objects.filter(bulletin=bulletin, key__contains=":r").count() == again.count()
    too_long = officer.post(url, {"after_hours": "5000", "confirmed": "1"})
    assert too_long.status_code == 400


def test_i_have_information_opens_a_report_that_names_the_bulletin(
    personas: Any, ward: Any
) -> None:
    bulletin = sent(
        personas,
        draft(personas["ward_officer"], ward["unit"], [Audience(AudienceKind.UNIT, ward["unit"])]),
    )
    fan_out_bulletin(bulletin.pk)
    delivery = Delivery.objects.get(bulletin=bulletin, person=ward["resident"], channel="app")
    resident = signed_in_client(personas["resident"])
    inbox = resident.get(reverse("bulletins:inbox")).content.decode()
    assert "Tình hình ma túy tháng 12" in inbox
    answered = resident.post(
        reverse("bulletins:answer", args=[delivery.pk]), {"answer": "information"}, follow=True
    )
    assert answered.redirect_chain[-1][0].startswith(reverse("reports:submit") + "?bulletin=")
    form = answered.content.decode()
    assert "Về bản tin “Tình hình ma túy tháng 12”: " in form
    delivery.refresh_from_db()
    assert delivery.answer == "information"
    # Anyone else naming the bulletin in the address gets an empty form: a bulletin to a
    # group is not public.
    group_only = sent(
        personas,
        draft(
            personas["ward_officer"], ward["unit"], [Audience(AudienceKind.GROUP, ward["group"])]
        ),
    )
    stranger = signed_in_client(personas["outsider"]).get(
        reverse("reports:submit") + f"?bulletin={group_only.identifier}"
    )
    assert "Về bản tin" not in html(stranger)
