"""Editing campaigns and correcting the ledger by voiding: services, pages (htmx and plain), API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from safeward.cameras import services
from safeward.cameras.coverage import unit_coverage
from safeward.cameras.models import Campaign, Contribution, Expense
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from tests.cameras.factories import make_campaign

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for: Any) -> Any:
    def make(name: str) -> Any:
        client = client_for(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def campaign(personas: dict[str, Any], demo_units: dict[str, Any]) -> Campaign:
    return make_campaign(personas["front_member"], demo_units["cam_thinh_khu1"])


def _gift(actor: Any, campaign: Campaign, amount: int = 2_000_000, **kw: Any) -> Contribution:
    args: dict[str, Any] = {"date": dt.date(2024, 3, 1), "donor_name": "Hộ ông Bình"}
    args.update(kw)
    return services.contribution_record(actor, campaign=campaign, amount_vnd=amount, **args)


def _spend(actor: Any, campaign: Campaign, amount: int = 500_000) -> Expense:
    return services.expense_record(
        actor, campaign=campaign, kind="cameras", amount_vnd=amount, date=dt.date(2024, 4, 1)
    )


# --- services ------------------------------------------------------------------------------


def test_voided_entries_stay_but_leave_every_total(
    personas: dict[str, Any], demo_units: dict[str, Any], campaign: Campaign
) -> None:
    front = personas["front_member"]
    wrong = _gift(front, campaign, 20_000_000, receipt_no="PT-01")
    _gift(front, campaign, 2_000_000, receipt_no="PT-02")
    bad_spend = _spend(front, campaign, 900_000)
    _spend(front, campaign, 300_000)
    services.contribution_void(front, wrong, reason="Nhập thừa một số 0")
    services.expense_void(front, bad_spend, reason="Hoá đơn trùng")
    corrected = _gift(front, campaign, 2_000_000, receipt_no="PT-01")
    assert Contribution.objects.filter(campaign=campaign).count() == 3
    wrong.refresh_from_db()
    assert (
        wrong.is_voided and wrong.voided_by == front and wrong.void_reason == "Nhập thừa một số 0"
    )
    assert corrected.receipt_no == "PT-01"
    ward = unit_coverage(demo_units["cam_thinh"])
    assert (ward.raised_vnd, ward.spent_vnd, ward.balance_vnd) == (4_000_000, 300_000, 3_700_000)
    event = AuditEvent.objects.get(action="contribution.void", object_id=str(wrong.pk))
    assert event.reason == "Nhập thừa một số 0"
    assert AuditEvent.objects.filter(action="expense.void", object_id=str(bad_spend.pk)).exists()


def test_a_live_receipt_number_still_cannot_repeat(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    _gift(personas["front_member"], campaign, receipt_no="PT-09")
    with pytest.raises(DomainError) as err:
        _gift(personas["front_member"], campaign, receipt_no="PT-09")
    assert err.value.message == "Receipt PT-09 is already recorded."


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say why the entry is voided."), ("   ", "Say why the entry is voided.")],
)
def test_voiding_needs_a_reason(
    personas: dict[str, Any], campaign: Campaign, reason: str, message: str
) -> None:
    gift = _gift(personas["front_member"], campaign)
    with pytest.raises(DomainError) as err:
        services.contribution_void(personas["front_member"], gift, reason=reason)
    assert (err.value.field, err.value.message) == ("reason", message)
    gift.refresh_from_db()
    assert not gift.is_voided
    assert not AuditEvent.objects.filter(action="contribution.void").exists()


def test_voiding_twice_is_refused_naming_the_day(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    from django.utils import timezone

    front = personas["front_member"]
    spend = _spend(front, campaign)
    services.expense_void(front, spend, reason="Sai")
    with pytest.raises(DomainError) as err:
        services.expense_void(front, spend, reason="Sai lần nữa")
    day = timezone.localdate().isoformat()
    assert err.value.message == f"This entry was already voided on {day}."
    assert AuditEvent.objects.filter(action="expense.void").count() == 1


def test_voiding_outside_scope_is_denied(personas: dict[str, Any], campaign: Campaign) -> None:
    gift = _gift(personas["front_member"], campaign)
    with pytest.raises(PermissionDenied):
        services.contribution_void(personas["other_ward_officer"], gift, reason="x")
    gift.refresh_from_db()
    assert not gift.is_voided


def test_campaign_update_changes_goal_period_and_organiser_audited(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    services.campaign_update(
        personas["front_member"],
        campaign,
        goal_vnd=35_000_000,
        ends_on=dt.date(2027, 6, 30),
        organiser_kind="group",
        organiser_label="Tổ tự quản Khu 1",
    )
    campaign.refresh_from_db()
    assert campaign.goal_vnd == 35_000_000 and campaign.ends_on == dt.date(2027, 6, 30)
    assert campaign.organiser_kind == "group"
    event = AuditEvent.objects.get(action="campaign.update", object_id=str(campaign.pk))
    assert event.changes["goal_vnd"] == [20_000_000, 35_000_000]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"goal_vnd": 0}, "goal_vnd", "Goal (VND) must be more than 0 (0)."),
        ({"goal_vnd": -5}, "goal_vnd", "Goal (VND) must be more than 0 (-5)."),
        ({"title": "  "}, "title", "Give the campaign a title."),
        (
            {"ends_on": dt.date(2023, 1, 1)},
            "ends_on",
            "The campaign cannot end before it starts.",
        ),
        ({"organiser_kind": "party"}, "organiser_kind", "“party” is not a valid organiser."),
        (
            {"ends_on": dt.date(2024, 2, 1)},
            "ends_on",
            "1 ledger entries fall outside the new period; void them or keep the period.",
        ),
        (
            {"starts_on": dt.date(2024, 3, 15)},
            "starts_on",
            "1 ledger entries fall outside the new period; void them or keep the period.",
        ),
        ({"unit": 1}, None, "Unknown campaign fields: unit."),
    ],
)
def test_campaign_update_refusals_change_nothing(
    personas: dict[str, Any],
    campaign: Campaign,
    changes: dict[str, Any],
    field: str | None,
    message: str,
) -> None:
    _gift(personas["front_member"], campaign, date=dt.date(2024, 3, 1))
    with pytest.raises(DomainError) as err:
        services.campaign_update(personas["front_member"], campaign, **changes)
    assert (err.value.field, err.value.message) == (field, message)
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert (fresh.goal_vnd, fresh.title, fresh.starts_on, fresh.ends_on) == (
        20_000_000,
        "Mắt thần khu phố",
        dt.date(2024, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert not AuditEvent.objects.filter(action="campaign.update").exists()


def test_voided_entries_do_not_block_a_shorter_period(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    front = personas["front_member"]
    late = _gift(front, campaign, date=dt.date(2025, 6, 1))
    services.contribution_void(front, late, reason="Ghi nhầm chiến dịch")
    services.campaign_update(front, campaign, ends_on=dt.date(2025, 5, 31))
    campaign.refresh_from_db()
    assert campaign.ends_on == dt.date(2025, 5, 31)


# --- pages ---------------------------------------------------------------------------------


def test_voiding_from_the_page_returns_the_panel_struck_through(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    gift = _gift(personas["front_member"], campaign, 3_000_000)
    client = client_for("front_member")
    response = client.post(
        reverse("cameras:campaign", args=[campaign.pk]),
        {"form": "void_contribution", "entry": gift.pk, "reason": "Trùng phiếu thu"},
        **HX,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "cameras/_campaign_panel.html"
    html = response.content.decode()
    assert f'id="contribution-{gift.pk}" class="voided"' in html
    assert "<del>3,000,000</del>" in html or "<del>3.000.000</del>" in html
    assert "Trùng phiếu thu" in html
    assert response.context["raised"] == 0


def test_voiding_without_a_reason_shows_the_message_and_keeps_the_entry(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    gift = _gift(personas["front_member"], campaign)
    url = reverse("cameras:campaign", args=[campaign.pk])
    data = {"form": "void_contribution", "entry": gift.pk, "reason": ""}
    client = client_for("front_member")
    partial = client.post(url, data, **HX)
    assert partial.context["action_error"] == "Say why the entry is voided."
    page = client.post(url, data)
    assert page.status_code == 400
    gift.refresh_from_db()
    assert not gift.is_voided


def test_voiding_without_javascript_redirects(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    spend = _spend(personas["front_member"], campaign)
    url = reverse("cameras:campaign", args=[campaign.pk])
    response = client_for("front_member").post(
        url, {"form": "void_expense", "entry": spend.pk, "reason": "Sai số tiền"}
    )
    assert response.status_code == 302 and response["Location"] == url
    spend.refresh_from_db()
    assert spend.is_voided


def test_voiding_an_entry_of_another_campaign_is_missing(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any], campaign: Campaign
) -> None:
    other = make_campaign(personas["front_member"], demo_units["cam_thinh_khu1"], title="Khác")
    gift = _gift(personas["front_member"], other)
    response = client_for("front_member").post(
        reverse("cameras:campaign", args=[campaign.pk]),
        {"form": "void_contribution", "entry": gift.pk, "reason": "x"},
        **HX,
    )
    assert response.status_code == 404
    gift.refresh_from_db()
    assert not gift.is_voided


def test_editing_the_campaign_from_the_page(client_for: Any, campaign: Campaign) -> None:
    client = client_for("front_member")
    url = reverse("cameras:campaign", args=[campaign.pk])
    page = client.get(url)
    assert 'id="campaign-form"' in page.content.decode()
    data = {
        "form": "campaign",
        "title": "Mắt thần khu phố 2026",
        "goal_vnd": 40_000_000,
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "organiser_kind": "front",
        "organiser_label": "Ban công tác Mặt trận Khu 1",
    }
    response = client.post(url, data, **HX)
    assert response.status_code == 200
    assert "Mắt thần khu phố 2026" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.goal_vnd == 40_000_000 and campaign.organiser_label.startswith("Ban")
    refused = client.post(url, {**data, "goal_vnd": -1}, **HX)
    assert refused.context["edit_form"].errors["goal_vnd"] == [
        "Goal (VND) must be more than 0 (-1)."
    ]
    campaign.refresh_from_db()
    assert campaign.goal_vnd == 40_000_000


def test_viewers_get_no_edit_or_void_forms(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    _gift(personas["front_member"], campaign)
    html = client_for("group_leader").get(reverse("cameras:campaign", args=[campaign.pk]))
    body = html.content.decode()
    assert 'id="campaign-form"' not in body and "void_contribution" not in body


# --- API -----------------------------------------------------------------------------------


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_api_voids_an_entry_with_its_reason(personas: dict[str, Any], campaign: Campaign) -> None:
    gift = _gift(personas["front_member"], campaign)
    api = _api(personas["front_member"])
    url = reverse("contribution-void", args=[gift.pk])
    refused = api.post(url, {"reason": ""}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"reason": ["Say why the entry is voided."]}
    done = api.post(url, {"reason": "Nhập nhầm"}, format="json")
    assert done.status_code == 200 and done.json()["void_reason"] == "Nhập nhầm"
    assert done.json()["voided_at"]
    hidden = _api(personas["other_ward_officer"]).post(
        reverse("expense-void", args=[_spend(personas["front_member"], campaign).pk]),
        {"reason": "x"},
        format="json",
    )
    assert hidden.status_code == 404


def test_api_ledger_entries_cannot_be_edited_or_deleted(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    gift = _gift(personas["front_member"], campaign)
    api = _api(personas["front_member"])
    url = reverse("contribution-detail", args=[gift.pk])
    assert api.patch(url, {"amount_vnd": 1}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    gift.refresh_from_db()
    assert gift.amount_vnd == 2_000_000


def test_api_edits_a_campaign_but_not_its_unit(
    personas: dict[str, Any], demo_units: dict[str, Any], campaign: Campaign
) -> None:
    api = _api(personas["front_member"])
    url = reverse("campaign-detail", args=[campaign.pk])
    done = api.patch(url, {"goal_vnd": 25_000_000}, format="json")
    assert done.status_code == 200 and done.json()["goal_vnd"] == 25_000_000
    moved = api.patch(url, {"unit": demo_units["cam_thinh_khu1_2025"].pk}, format="json")
    assert moved.status_code == 400
    assert moved.json()["errors"] == {"unit": ["A campaign's unit cannot change."]}
    bad = api.patch(url, {"goal_vnd": -3}, format="json")
    assert bad.json()["errors"] == {"goal_vnd": ["Goal (VND) must be more than 0 (-3)."]}
    campaign.refresh_from_db()
    assert campaign.goal_vnd == 25_000_000 and campaign.unit == demo_units["cam_thinh_khu1"]


def test_a_former_units_campaign_takes_no_money_dated_after_the_unit_ended(
    personas: dict[str, Any], demo_units: dict[str, Any], campaign: Campaign
) -> None:
    with pytest.raises(DomainError) as err:
        _gift(personas["front_member"], campaign, date=dt.date(2025, 8, 1))
    assert (err.value.field, err.value.message) == (
        "date",
        f"{demo_units['cam_thinh_khu1']} did not exist on 2025-08-01; "
        "record it under a campaign of the unit valid then.",
    )
    assert not Contribution.objects.filter(campaign=campaign).exists()


def test_the_money_raised_indicator_leaves_voided_contributions_out(
    personas: dict[str, Any], campaign: Campaign
) -> None:
    from safeward.cameras.indicators import money_raised

    front = personas["front_member"]
    _gift(front, campaign, 1_500_000)
    wrong = _gift(front, campaign, 15_000_000)
    services.contribution_void(front, wrong, reason="Thừa một số 0")
    facts = list(money_raised(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert [f.value for f in facts] == [1_500_000.0]


def test_campaign_page_queries_do_not_grow_with_the_ledger(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    front = personas["front_member"]
    client = client_for("front_member")
    url = reverse("cameras:campaign", args=[campaign.pk])
    _gift(front, campaign)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        services.contribution_void(front, _gift(front, campaign), reason=f"Sai {n}")
        services.expense_void(front, _spend(front, campaign), reason=f"Sai {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_campaign_list_counts_only_entries_that_stand(
    client_for: Any, personas: dict[str, Any], campaign: Campaign
) -> None:
    front = personas["front_member"]
    _gift(front, campaign, 1_000_000)
    services.contribution_void(front, _gift(front, campaign, 7_000_000), reason="x")
    page = client_for("front_member").get(reverse("cameras:campaigns"))
    [row] = [r.record for r in page.context["page"] if r.record.pk == campaign.pk]
    assert row.raised == 1_000_000 and row.gifts == 1
    assert page.context["table"].totals["raised"] == 1_000_000
