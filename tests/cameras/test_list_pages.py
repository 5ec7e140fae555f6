"""The camera and campaign lists: rows, totals, unit filter with successions, export, 404s."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from safeward.cameras import services
from safeward.cameras.models import Camera
from safeward.core.models import AuditEvent
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_filtering_on_the_successor_unit_finds_cameras_placed_before_the_reform(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    # Placed in Khu 1 as it was before July 2025; the neighbourhood's successor covers it.
    old = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        installed_on=dt.date(2024, 3, 1),
        custodian_label="Hộ bà Lan",
        cost_vnd=2_500_000,
    )
    successor = demo_units["cam_thinh_khu1_2025"]
    assert not successor.path.startswith(old.unit.path)
    response = client_for("ward_officer").get(reverse("cameras:list"), {"unit": successor.pk})
    assert response.status_code == 200, response.content[:300]
    ids = [row.record.pk for row in response.context["table"].page.object_list]
    assert old.pk in ids
    assert reverse("cameras:detail", args=[old.pk]) in response.content.decode()


def digits(text: str) -> str:
    return re.sub(r"(?<=\d)[.,\u00a0 ](?=\d{3})", "", text)


def test_camera_list_shows_rows_and_the_cost_total_over_every_filtered_row(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    hood = demo_units["cam_thinh_khu1"]
    officer = personas["ward_officer"]
    cheap = make_camera(officer, hood, cost_vnd=3_000_000)
    dear = make_camera(officer, hood, cost_vnd=4_500_000)
    broken = make_camera(officer, hood, cost_vnd=1_000_000, status="broken")
    client = client_for("ward_officer")
    text = client.get(
        reverse("cameras:list"), {"per_page": 1, "sort": "-cost_vnd"}
    ).content.decode()
    assert reverse("cameras:detail", args=[dear.pk]) in text
    assert reverse("cameras:detail", args=[cheap.pk]) not in text
    assert "<tfoot>" in text and ">8500000<" in digits(text) and ">4500000<" in digits(text)
    only = client.get(reverse("cameras:list"), {"status": "broken"}).content.decode()
    assert reverse("cameras:detail", args=[broken.pk]) in only
    assert reverse("cameras:detail", args=[dear.pk]) not in only
    assert 'class="badge bad"' in only and ">1000000<" in digits(only)


def test_camera_list_without_the_contact_permission_names_no_custodian_even_in_the_export(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(
        personas["ward_officer"], demo_units["cam_thinh_khu1"], custodian_label="Hộ bà Yến"
    )
    client = client_for("analyst")
    page = client.get(reverse("cameras:list"))
    assert page.status_code == 200 and "Hộ bà Yến" not in page.content.decode()
    assert reverse("cameras:detail", args=[camera.pk]) in page.content.decode()
    export = client.get(reverse("cameras:list"), {"export": "csv"})
    rows = csv_rows(export)
    assert [str(camera.pk), str(camera.get_custodian_kind_display())] in [r[:2] for r in rows]
    assert all("Hộ bà Yến" not in cell for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="list.export", actor_id=personas["analyst"].pk).exists()


def test_camera_list_names_the_custodian_to_the_officer_and_audits_the_look(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    officer = personas["ward_officer"]
    camera = make_camera(officer, demo_units["cam_thinh_khu1"], custodian_label="Hộ ông Bình")
    page = client_for("ward_officer").get(reverse("cameras:list"))
    assert page.status_code == 200 and "Hộ ông Bình" in page.content.decode()
    look = AuditEvent.objects.filter(actor_id=officer.pk, sensitive_read=True).last()
    assert look is not None and camera.pk in look.changes["ids"]


def test_campaign_list_totals_goals_and_money_raised(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    front = personas["front_member"]
    first = make_campaign(front, demo_units["cam_thinh_khu1"], title="Camera Khu 1")
    make_campaign(front, demo_units["cam_thinh_khu1"], title="Camera Khu 2")
    services.contribution_record(
        front, campaign=first, amount_vnd=700_000, date=dt.date(2024, 5, 5), donor_name="Hộ Khánh"
    )
    page = client_for("front_member").get(reverse("cameras:campaigns"))
    text = page.content.decode()
    assert "Camera Khu 1" in text and "Camera Khu 2" in text
    table = page.context["table"]
    assert table.totals["raised"] == 700_000
    assert table.totals["goal_vnd"] == 2 * first.goal_vnd
    assert ">700000<" in digits(text)


@pytest.mark.parametrize("persona", ["outsider", "resident"])
def test_without_the_permission_every_camera_page_is_missing(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any], persona: str
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    campaign = make_campaign(personas["front_member"], demo_units["cam_thinh_khu1"])
    client = client_for(persona)
    for url in (
        reverse("cameras:list"),
        reverse("cameras:add"),
        reverse("cameras:detail", args=[camera.pk]),
        reverse("cameras:edit", args=[camera.pk]),
        reverse("cameras:map"),
        reverse("cameras:map_data"),
        reverse("cameras:coverage"),
        reverse("cameras:campaigns"),
        reverse("cameras:campaign_add"),
        reverse("cameras:campaign", args=[campaign.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
    assert Camera.objects.filter(pk=camera.pk).exists()


def test_editing_a_camera_changes_it_through_the_service_and_shows_the_detail(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    camera = make_camera(personas["ward_officer"], demo_units["cam_thinh_khu1"])
    client = client_for("ward_officer")
    url = reverse("cameras:edit", args=[camera.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(bearing=180, consent_captured_how="paper", signage_confirmed="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == reverse("cameras:detail", args=[camera.pk])
    camera.refresh_from_db()
    assert camera.bearing == 180 and camera.signage_confirmed
    event = AuditEvent.objects.get(action="camera.update", object_id=str(camera.pk))
    assert event.changes["bearing"] == [90.0, 180.0]
