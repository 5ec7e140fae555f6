"""A footage request never dead-ends: cameras near the place that cannot see it are
listed with the reason, the officer widens the radius, and the form stays."""

from __future__ import annotations

import datetime as dt
import math
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from safeward.cameras.models import Camera
from safeward.evidence.models import FootageRequest
from tests.cameras.factories import make_camera

pytestmark = pytest.mark.django_db


M_PER_DEG_LAT = 111_195.0


def _north_of(report: Any, metres: float) -> tuple[float, float]:
    return report.latitude + metres / M_PER_DEG_LAT, report.longitude


def _camera_95_m_away(personas: dict[str, Any], demo_units: dict[str, Any], report: Any) -> Camera:
    """A shop's camera 95 m north of the incident, 50 m range, facing south at it."""
    lat, lon = _north_of(report, 95)
    return make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=lat,
        longitude=lon,
        bearing=180.0,
        fov=90.0,
        range_m=50,
        custodian_kind="business",
        custodian_label="Cửa hàng Minh Phát",
        custodian_user=personas["resident"],
    )


class _TableText(HTMLParser):
    """The text of each body row of the table with the given id."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table, self.depth, self.in_body = table, 0, False
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table:
            self.depth = 1
        elif tag == "table" and self.depth:
            self.depth += 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.depth and self.in_body and self.rows and data.strip():
            self.rows[-1].append(data.strip())


def _rows(page: Any, table: str) -> list[str]:
    parser = _TableText(table)
    parser.feed(page.content.decode())
    return [" ".join(" ".join(cells).split()) for cells in parser.rows]


def _post(officer: Any, report: Any, page: Any, radius: int, cameras: list[int]) -> Any:
    initial = page.context["form"].initial
    return officer.post(
        reverse("evidence:request_add", args=[report.pk]) + f"?radius_m={radius}",
        {
            "purpose": "Xác minh vụ mất xe máy",
            "window_start": initial["window_start"].strftime("%Y-%m-%d %H:%M"),
            "window_end": initial["window_end"].strftime("%Y-%m-%d %H:%M"),
            "radius_m": radius,
            "cameras": cameras,
        },
    )


def test_a_camera_out_of_range_is_listed_with_the_gap_and_the_form_stays(
    officer: Any, personas: dict[str, Any], demo_units: dict[str, Any], report: Any
) -> None:
    shop = _camera_95_m_away(personas, demo_units, report)
    url = reverse("evidence:request_add", args=[report.pk])

    narrow = officer.get(url, {"radius_m": 50})
    assert narrow.status_code == 200
    assert _rows(narrow, "candidates") == [
        "No camera can be asked within 50 m. Search within 100 m"
    ]
    assert narrow.context["form"] is not None and b'id="request-form"' in narrow.content

    wider = officer.get(url, {"radius_m": 100})
    (row,) = _rows(wider, "candidates")
    assert row.startswith(f"{shop.pk} Cửa hàng Minh Phát nearby: the way to or from it 95 m")
    assert "out of range by 45 m (95 m away, range 50 m)" in row
    assert [c for c, _label in wider.context["form"].fields["cameras"].choices] == [shop.pk]


def test_the_officer_asks_a_nearby_camera_after_widening_the_radius(
    officer: Any, personas: dict[str, Any], demo_units: dict[str, Any], report: Any
) -> None:
    shop = _camera_95_m_away(personas, demo_units, report)
    page = officer.get(reverse("evidence:request_add", args=[report.pk]), {"radius_m": 100})

    refused = _post(officer, report, page, 50, [shop.pk])
    assert refused.status_code == 400 and not FootageRequest.objects.exists()

    done = _post(officer, report, page, 100, [shop.pk])
    assert done.status_code == 302, done.content[:500]
    request = FootageRequest.objects.get()
    target = request.targets.get()
    assert (target.camera, round(target.distance_m), request.approvals_needed) == (shop, 95, 1)


def test_past_the_cap_the_request_needs_a_second_approval(
    officer: Any, personas: dict[str, Any], demo_units: dict[str, Any], report: Any
) -> None:
    far = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=_north_of(report, 700)[0],
        longitude=report.longitude,
        custodian_user=personas["resident"],
    )
    page = officer.get(reverse("evidence:request_add", args=[report.pk]), {"radius_m": 800})
    assert "Up to 500 m one approval is enough" in page.content.decode()
    assert _post(officer, report, page, 800, [far.pk]).status_code == 302
    assert FootageRequest.objects.get().approvals_needed == 2


def test_cameras_that_cannot_be_asked_say_why_and_cannot_be_chosen(
    officer: Any, personas: dict[str, Any], demo_units: dict[str, Any], report: Any
) -> None:
    # Kept two hours only: the incident, three hours ago, is already overwritten.
    short = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=report.latitude,
        longitude=report.longitude + 0.0001,
        fov=360,
        retention_days=0,
        custodian_user=personas["resident"],
    )
    private = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=report.latitude,
        longitude=report.longitude - 0.0001,
        fov=360,
        sharing_mode="registry",
        custodian_user=personas["resident"],
    )
    page = officer.get(reverse("evidence:request_add", args=[report.pk]))
    rows = {r.split(" ", 1)[0]: r for r in _rows(page, "unavailable")}
    assert "recording already overwritten on" in rows[str(short.pk)]
    assert "not shared on request" in rows[str(private.pk)]
    assert page.context["form"].fields["cameras"].choices == []

    refused = _post(officer, report, page, 200, [short.pk])
    assert refused.status_code == 400
    assert not FootageRequest.objects.exists()


def test_a_camera_facing_away_is_nearby_with_the_angle(
    officer: Any, personas: dict[str, Any], demo_units: dict[str, Any], report: Any
) -> None:
    lat, lon = _north_of(report, 30)
    away = make_camera(
        personas["ward_officer"],
        demo_units["cam_thinh_khu1"],
        latitude=lat,
        longitude=lon,
        bearing=0.0,  # facing north, the incident is south of it
        fov=90.0,
        range_m=50,
        custodian_user=personas["resident"],
    )
    page = officer.get(reverse("evidence:request_add", args=[report.pk]))
    (row,) = _rows(page, "candidates")
    assert row.startswith(f"{away.pk} ")
    assert "faces away: the point is 180° off its 90° view" in row
    assert math.isclose(page.context["candidates"][0].distance_m, 30, abs_tol=1)
    assert not page.context["candidates"][0].sees_point
    assert dt.timedelta(0) < page.context["candidates"][0].kept_until - report.occurred_at
