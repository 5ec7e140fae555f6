"""The demo's foundation: Quảng Ninh's real units, neighbourhoods for every ward, one user per role."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from safeward.accounts.models import Role, User
from safeward.accounts.roles import (
    ANALYST,
    CITY_OFFICER,
    FRONT_MEMBER,
    GROUP_LEADER,
    MENTOR,
    PROVINCE_ADMIN,
    RESIDENT,
    WARD_POLICE,
)
from safeward.accounts.services import role_assign, sync_builtin_roles
from safeward.demo.registry import DemoContext
from safeward.geo.choices import UnitLevel
from safeward.geo.importer import REFORM_DAY, import_units
from safeward.geo.models import AdminUnit, UnitSuccession
from safeward.geo.queries import successor_on

PROVINCE = "Quảng Ninh"
DEMO_PASSWORD = "SafeWard-demo-2025"
CAM_PHA_NEIGHBOURHOODS = 113
CAM_THINH_NEIGHBOURHOODS = 11

# persona -> (role, unit key, full name)
PERSONAS: dict[str, tuple[str | None, str, str]] = {
    "province_admin": (PROVINCE_ADMIN, "province", "Nguyễn Văn Hùng"),
    "city_officer": (CITY_OFFICER, "cam_pha_2025", "Trần Quốc Bảo"),
    "ward_officer": (WARD_POLICE, "cua_ong", "Lê Minh Tuấn"),
    "other_ward_officer": (WARD_POLICE, "bai_chay", "Phạm Thị Lan"),
    "front_member": (FRONT_MEMBER, "cua_ong", "Đỗ Thị Hoa"),
    "group_leader": (GROUP_LEADER, "cam_thinh_khu1_2025", "Vũ Văn Nam"),
    "mentor": (MENTOR, "cua_ong", "Hoàng Văn Thắng"),
    "analyst": (ANALYST, "province", "Bùi Thu Trang"),
    "resident": (RESIDENT, "cua_ong", "Ngô Thị Mai"),
    "outsider": (None, "", "Đinh Công Khách"),
}


def totp_secret_for(seed: int, username: str) -> str:
    digest = hashlib.sha256(f"safeward-demo:{seed}:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def neighbourhood_counts(
    ctx: DemoContext, wards: list[AdminUnit], cam_pha: AdminUnit
) -> dict[int, int]:
    """How many neighbourhoods each legacy ward gets: Cẩm Phả's add up to 113, Cẩm Thịnh's to 11."""
    counts: dict[int, int] = {}
    cam_pha_wards = sorted((w for w in wards if w.parent_id == cam_pha.pk), key=lambda w: w.code)
    others = [w for w in cam_pha_wards if w.short_name != "Cẩm Thịnh"]
    remaining = CAM_PHA_NEIGHBOURHOODS - CAM_THINH_NEIGHBOURHOODS
    base, extra = divmod(remaining, len(others))
    for i, ward in enumerate(others):
        counts[ward.pk] = base + (1 if i < extra else 0)
    for ward in cam_pha_wards:
        if ward.short_name == "Cẩm Thịnh":
            counts[ward.pk] = CAM_THINH_NEIGHBOURHOODS
    for ward in wards:
        counts.setdefault(ward.pk, ctx.rng.randint(4, 9))
    return counts


def _bulk_units(units: list[AdminUnit]) -> list[AdminUnit]:
    created = AdminUnit.objects.bulk_create(units, batch_size=500)
    for unit in created:
        unit.path = f"{unit.parent.path}{unit.pk}/"  # type: ignore[union-attr]
        unit.depth = unit.path.count("/") - 2
    AdminUnit.objects.bulk_update(created, ["path", "depth"], batch_size=500)
    return created


def build_neighbourhoods(ctx: DemoContext) -> None:
    """Neighbourhoods under every pre-2025 ward, carried over 1:1 under the ward that succeeded it."""
    if AdminUnit.objects.filter(level=UnitLevel.NEIGHBOURHOOD, source="demo").exists():
        return
    province = ctx.units["province"]
    cam_pha = AdminUnit.objects.get(
        level=UnitLevel.DISTRICT, short_name="Cẩm Phả", path__subtree=province.path
    )
    wards = list(
        AdminUnit.objects.filter(
            level=UnitLevel.WARD, valid_to__isnull=False, path__subtree=province.path
        ).order_by("code")
    )
    counts = neighbourhood_counts(ctx, wards, cam_pha)
    legacy: list[AdminUnit] = []
    for ward in wards:
        word = "Khu" if ward.kind == "Phường" or ward.kind == "Thị trấn" else "Thôn"
        for n in range(1, counts[ward.pk] + 1):
            lat = (ward.centroid_lat or 21.0) + ctx.rng.uniform(-0.012, 0.012)
            lon = (ward.centroid_lon or 107.0) + ctx.rng.uniform(-0.012, 0.012)
            legacy.append(
                AdminUnit(
                    code=f"{ward.code}-K{n:02d}",
                    name=f"{word} {n}",
                    short_name=f"{word} {n}",
                    kind="Khu phố" if word == "Khu" else "Thôn",
                    level=UnitLevel.NEIGHBOURHOOD,
                    parent=ward,
                    valid_to=ward.valid_to,
                    centroid_lat=lat,
                    centroid_lon=lon,
                    population=ctx.rng.randint(600, 2400),
                    source="demo",
                )
            )
    legacy = _bulk_units(legacy)
    successor_of = {w.pk: successor_on(w, REFORM_DAY) for w in wards}
    current: list[AdminUnit] = []
    for old in legacy:
        new_ward = successor_of[old.parent_id]  # type: ignore[index]
        assert new_ward is not None
        ward = next(w for w in wards if w.pk == old.parent_id)
        current.append(
            AdminUnit(
                code=f"25-{old.code}",
                name=f"{old.name} {ward.short_name}",
                short_name=f"{old.name} {ward.short_name}",
                kind=old.kind,
                level=UnitLevel.NEIGHBOURHOOD,
                parent=new_ward,
                valid_from=REFORM_DAY,
                centroid_lat=old.centroid_lat,
                centroid_lon=old.centroid_lon,
                population=old.population,
                source="demo",
            )
        )
    current = _bulk_units(current)
    UnitSuccession.objects.bulk_create(
        [
            UnitSuccession(predecessor=o, successor=c, date=REFORM_DAY, share=1.0, note="demo")
            for o, c in zip(legacy, current, strict=True)
        ],
        batch_size=500,
    )
    ctx.log(f"  neighbourhoods: {len(legacy)} before July 2025, {len(current)} after")


def find_units(ctx: DemoContext) -> None:
    province = AdminUnit.objects.get(level=UnitLevel.PROVINCE, short_name=PROVINCE)
    cam_pha = AdminUnit.objects.get(
        level=UnitLevel.DISTRICT, short_name="Cẩm Phả", path__subtree=province.path
    )
    cam_thinh = AdminUnit.objects.get(parent=cam_pha, short_name="Cẩm Thịnh")
    cua_ong = successor_on(cam_thinh, REFORM_DAY)
    ctx.units.update(
        {
            "province": province,
            "cam_pha": cam_pha,
            "cam_thinh": cam_thinh,
            "cua_ong": cua_ong,
            "bai_chay": AdminUnit.objects.get(
                short_name="Bãi Cháy", valid_to__isnull=True, path__subtree=province.path
            ),
            "ha_long": AdminUnit.objects.get(
                level=UnitLevel.DISTRICT, short_name="Hạ Long", path__subtree=province.path
            ),
        }
    )
    ctx.units["cam_pha_2025"] = sorted(
        {successor_on(w, REFORM_DAY) for w in cam_pha.children.all()},
        key=lambda u: u.code,  # type: ignore[type-var]
    )
    khu1 = AdminUnit.objects.filter(parent=cam_thinh, short_name="Khu 1").first()
    if khu1:
        ctx.units["cam_thinh_khu1"] = khu1
        ctx.units["cam_thinh_khu1_2025"] = successor_on(khu1, REFORM_DAY)


def build_users(ctx: DemoContext) -> None:
    sync_builtin_roles()
    roles = {r.code: r for r in Role.objects.all()}
    now = timezone.now()
    for username, (role_code, unit_key, full_name) in PERSONAS.items():
        first, _sep, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": last,
                "last_name": first,
                "email": f"{username}@demo.safeward.vn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.totp_secret = totp_secret_for(ctx.seed, username)
            user.totp_confirmed_at = now
            user.save()
        ctx.users[username] = user
        if role_code is None:
            continue
        targets = ctx.units[unit_key]
        for unit in targets if isinstance(targets, list) else [targets]:
            if not user.assignments.filter(role=roles[role_code], unit=unit).exists():
                role_assign(
                    None,
                    user=user,
                    role=roles[role_code],
                    unit=unit,
                    valid_from=dt.date(2025, 7, 1),
                    check_actor=False,
                )


@transaction.atomic
def build_foundation(ctx: DemoContext) -> None:
    stats = import_units(None, [PROVINCE])
    ctx.log(
        f"  units: {stats.created} created, {stats.unchanged} unchanged ({stats.seconds:.2f} s)"
    )
    ctx.units["province"] = AdminUnit.objects.get(level=UnitLevel.PROVINCE, short_name=PROVINCE)
    build_neighbourhoods(ctx)
    find_units(ctx)
    build_users(ctx)
