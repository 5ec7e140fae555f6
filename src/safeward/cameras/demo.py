"""Demo cameras: Cẩm Thịnh's 190 in all 11 neighbourhoods, paid by residents and donors for
over 200 million VND, and Cẩm Phả's 790 across its 113 neighbourhoods.

They stand on the neighbourhoods as they were before July 2025 (installed before the
reorganisation), which is when the city's figures were counted.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from safeward.cameras import services
from safeward.cameras.models import Camera, Campaign
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer

CAM_THINH_CAMERAS = 190
CAM_PHA_CAMERAS = 790
REFORM = dt.date(2025, 7, 1)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hoa", "Lan", "Minh", "Nam", "Thảo", "Tuấn"]
BUSINESSES = ["Tạp hoá", "Quán cà phê", "Cửa hàng điện máy", "Nhà thuốc", "Tiệm vàng"]


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _custodian(ctx: DemoContext) -> tuple[str, str]:
    roll = ctx.rng.random()
    name = f"{ctx.rng.choice(FAMILY)} {ctx.rng.choice(GIVEN)}"
    if roll < 0.7:
        return "household", f"Hộ {name}"
    if roll < 0.9:
        return "business", f"{ctx.rng.choice(BUSINESSES)} {name}"
    return "group", "Tổ tự quản an ninh trật tự"


def _camera_fields(ctx: DemoContext, hood: AdminUnit) -> dict[str, Any]:
    rng = ctx.rng
    kind, label = _custodian(ctx)
    return {
        "custodian_kind": kind,
        "custodian_label": label,
        "contact": f"09{rng.randint(10_000_000, 99_999_999)}",
        "preferred_channel": rng.choice(["in_app", "sms", "phone"]),
        "latitude": round((hood.centroid_lat or 21.0) + rng.uniform(-0.003, 0.003), 6),
        "longitude": round((hood.centroid_lon or 107.3) + rng.uniform(-0.003, 0.003), 6),
        "bearing": float(rng.randrange(0, 360, 5)),
        "fov": rng.choice([60.0, 90.0, 90.0, 110.0, 360.0]),
        "range_m": rng.choice([20, 30, 40, 50, 60]),
        "retention_days": rng.choice([7, 10, 14, 30]),
        "sharing_mode": rng.choices(["on_request", "live", "registry"], [70, 15, 15])[0],
        "status": rng.choices(["working", "broken", "retired"], [92, 6, 2])[0],
        "last_verified": dt.date(2026, 11, 28) - dt.timedelta(days=rng.randint(0, 150)),
        "clock_offset_s": rng.randint(-120, 120),
        "installed_on": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1998)),
        "cost_vnd": rng.randrange(1_200_000, 2_400_000, 50_000),
        "signage_confirmed": rng.random() < 0.8,
    }


def _place(ctx: DemoContext, actor: Viewer, hoods: list[AdminUnit], total: int) -> list[Camera]:
    cameras = []
    for hood, count in zip(hoods, _spread(total, len(hoods)), strict=True):
        for _ in range(count):
            fields = _camera_fields(ctx, hood)
            cameras.append(
                services.camera_register(
                    actor,
                    unit=hood,
                    latitude=fields.pop("latitude"),
                    longitude=fields.pop("longitude"),
                    custodian_kind=fields.pop("custodian_kind"),
                    custodian_label=fields.pop("custodian_label"),
                    **fields,
                )
            )
    return cameras


def _give(actor: Viewer, campaign: Campaign, rng: random.Random, number: int, large: bool) -> int:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1900))
    amount = rng.randrange(200_000, 1_000_000, 50_000)
    if large:
        amount = rng.randrange(3_000_000, 10_000_000, 500_000)
    services.contribution_record(
        actor,
        campaign=campaign,
        amount_vnd=amount,
        date=day,
        donor_name=f"Hộ {rng.choice(FAMILY)} {rng.choice(GIVEN)}",
        receipt_no=f"PT-{campaign.pk}-{number + 1:03d}",
        listing="anonymous" if rng.random() < 0.2 else "public",
    )
    return amount


def _fund(
    ctx: DemoContext, actor: Viewer, unit: AdminUnit, cameras: list[Camera], donors: int
) -> int:
    """A campaign that paid for ``cameras``; returns the money raised.

    Residents give until the cameras are paid for: donors past the first ``donors`` draw
    from their own generator, so the rest of the demo sees the same random sequence.
    """
    cost = sum(c.cost_vnd for c in cameras)
    campaign = services.campaign_create(
        actor,
        unit=unit,
        title=f"Camera an ninh {unit.name}",
        goal_vnd=cost + 2_000_000,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2025, 6, 30),
        organiser_label=f"Ban công tác Mặt trận {unit.name}",
    )
    raised = sum(
        _give(actor, campaign, ctx.rng, number, number % 12 == 0) for number in range(donors)
    )
    more = random.Random(f"{ctx.seed}:{unit.code}")
    number = donors
    while raised < cost:
        raised += _give(actor, campaign, more, number, number % 4 == 0)
        number += 1
    services.expense_record(
        actor,
        campaign=campaign,
        kind="cameras",
        amount_vnd=cost,
        date=dt.date(2025, 6, 1),
        description=f"{len(cameras)} camera",
    )
    return raised


def _legacy_hoods(parent: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            path__startswith=parent.path, level=UnitLevel.NEIGHBOURHOOD, valid_to__lt=REFORM
        ).order_by("code")
    )


@register_demo_step("cameras", order=300)
def populate(ctx: DemoContext) -> None:
    officer = front = ctx.users["province_admin"]
    cam_thinh, cam_pha = ctx.units["cam_thinh"], ctx.units["cam_pha"]
    thinh_hoods = _legacy_hoods(cam_thinh)
    other_hoods = [h for h in _legacy_hoods(cam_pha) if not h.path.startswith(cam_thinh.path)]
    thinh_cams = _place(ctx, officer, thinh_hoods, CAM_THINH_CAMERAS)
    raised = 0
    for hood in thinh_hoods:
        mine = [c for c in thinh_cams if c.unit_id == hood.pk]
        raised += _fund(ctx, front, hood, mine, donors=40)
    other_cams = _place(ctx, officer, other_hoods, CAM_PHA_CAMERAS - CAM_THINH_CAMERAS)
    wards = {h.parent_id for h in other_hoods}
    for ward in AdminUnit.objects.filter(pk__in=wards).order_by("code"):
        mine = [c for c in other_cams if c.unit.parent_id == ward.pk]
        _fund(ctx, front, ward, mine, donors=12)
    ctx.data["cameras_cam_thinh"] = [c.pk for c in thinh_cams]
    ctx.log(
        f"  cameras: {len(thinh_cams)} in Cẩm Thịnh ({len(thinh_hoods)} neighbourhoods, "
        f"{raised:,} VND raised), {Camera.objects.count()} in Cẩm Phả; "
        f"{Campaign.objects.count()} campaigns"
    )
