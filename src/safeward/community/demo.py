"""Demo records: Cẩm Phả's 1,163 self-managed groups and 25 movement models (before July 2025),
drug-prevention models in all 13 legacy districts, and a live group for the group-leader persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeward.community.choices import DEFAULT_CRITERIA, GroupType, LeadOrganisation, ModelTheme
from safeward.community.models import (
    FortressAssessment,
    Group,
    Membership,
    ModelEvaluation,
    MovementModel,
    Patrol,
    RosterSlot,
    ShieldPledge,
)
from safeward.community.services import fortress_result
from safeward.core.audit import audit_record, audit_record_bulk
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.people.models import Household, Person

CAM_PHA_GROUPS = 1163
CAM_PHA_MODELS = 25
REFORM = dt.date(2025, 7, 1)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thu", "Hữu", "Ngọc", "Xuân", "Thanh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Yến",
]
GROUP_TYPES = [
    (GroupType.SECURITY_ORDER, 60),
    (GroupType.INTER_FAMILY, 20),
    (GroupType.CIVIL_DEFENCE, 6),
    (GroupType.VETERANS, 6),
    (GroupType.YOUTH_VOLUNTEER, 5),
    (GroupType.CLAN, 3),
]
CAM_PHA_MODEL_THEMES = [
    (ModelTheme.DRUG_PREVENTION, LeadOrganisation.POLICE, "Dân vận khéo phòng, chống ma túy"),
    (ModelTheme.SECURITY_ORDER, LeadOrganisation.FRONT, "Khu dân cư tự quản về an ninh trật tự"),
    (ModelTheme.CAMERAS, LeadOrganisation.POLICE, "Camera an ninh cộng đồng"),
    (
        ModelTheme.VETERANS_OFFENDERS,
        LeadOrganisation.VETERANS,
        "Cựu chiến binh giúp đỡ người lầm lỗi",
    ),
    (
        ModelTheme.FAMILY,
        LeadOrganisation.WOMENS_UNION,
        "Gia đình quản lý con em không vi phạm pháp luật",
    ),
    (
        ModelTheme.YOUTH_AT_RISK,
        LeadOrganisation.YOUTH_UNION,
        "Thanh niên xung kích giữ gìn an ninh",
    ),
    (ModelTheme.REINTEGRATION, LeadOrganisation.FRONT, "Giúp người sau cai nghiện tái hòa nhập"),
]


def person_name(rng: Any) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _weighted(rng: Any, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _day_between(rng: Any, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def legacy_neighbourhoods(district: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.subtree_of(district)
        .filter(level=UnitLevel.NEIGHBOURHOOD, valid_to__isnull=False)
        .order_by("code")
    )


def cam_pha_groups(ctx: DemoContext) -> None:
    """1,163 groups across Cẩm Phả's 113 neighbourhoods, each with its leader, and their 2024 patrols."""
    rng, district = ctx.rng, ctx.units["cam_pha"]
    hoods = legacy_neighbourhoods(district)
    groups = [
        Group(
            unit=hoods[i % len(hoods)],
            name=f"Tổ tự quản số {i // len(hoods) + 1} {hoods[i % len(hoods)].name}",
            group_type=_weighted(rng, GROUP_TYPES),
            households_covered=rng.randint(15, 60),
            founded_on=_day_between(rng, dt.date(2016, 1, 1), dt.date(2024, 12, 31)),
        )
        for i in range(CAM_PHA_GROUPS)
    ]
    groups = Group.objects.bulk_create(groups, batch_size=500)
    leaders = Person.objects.bulk_create(
        [
            Person(unit=g.unit, full_name=person_name(rng), birth_year=rng.randint(1955, 1990))
            for g in groups
        ],
        batch_size=500,
    )
    Membership.objects.bulk_create(
        [
            Membership(group=g, person=p, role="leader", joined_on=g.founded_on)
            for g, p in zip(groups, leaders, strict=True)
        ],
        batch_size=500,
    )
    crews = _members(rng, groups, leaders)
    patrols = [_patrol_2024(rng, g) for g in groups for _n in range(4)]
    Patrol.objects.bulk_create(patrols, batch_size=1000)
    present = Patrol.members_present.through
    present.objects.bulk_create(
        [
            present(patrol_id=patrol.pk, person_id=person.pk)
            for patrol in patrols
            for person in _crew_on_duty(rng, crews[patrol.group_id])
        ],
        batch_size=2000,
    )
    ctx.data["cam_pha_leaders"] = leaders
    founded = [g.founded_on for g in groups]
    audit_record_bulk(
        None,
        "demo.groups",
        Group,
        count=len(groups),
        first_day=min(founded),
        last_day=max(founded),
        unit=district,
        changes={"members": sum(len(c) for c in crews.values())},
    )
    audit_record_bulk(
        None,
        "demo.groups",
        Membership,
        count=Membership.objects.filter(group__in=groups).count(),
        first_day=min(founded),
        unit=district,
    )
    patrol_days = [p.date for p in patrols]
    audit_record_bulk(
        None,
        "demo.patrols",
        Patrol,
        count=len(patrols),
        first_day=min(patrol_days),
        last_day=max(patrol_days),
        unit=district,
    )
    ctx.log(f"  groups: {len(groups)} in Cẩm Phả, {len(patrols)} patrols in 2024")


def _members(rng: Any, groups: list[Group], leaders: list[Person]) -> dict[int, list[Person]]:
    """A deputy and 2-6 members besides each group's leader; returns each group's crew."""
    joined: list[tuple[Group, Person, str]] = []
    for group in groups:
        joined.append((group, _person(rng, group), "deputy"))
        joined += [(group, _person(rng, group), "member") for _n in range(rng.randint(2, 6))]
    people = Person.objects.bulk_create([p for _g, p, _r in joined], batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(group=g, person=p, role=role, joined_on=g.founded_on)
            for (g, _p, role), p in zip(joined, people, strict=True)
        ],
        batch_size=1000,
    )
    crews: dict[int, list[Person]] = {
        g.pk: [leader] for g, leader in zip(groups, leaders, strict=True)
    }
    for (group, _p, _role), person in zip(joined, people, strict=True):
        crews[group.pk].append(person)
    return crews


def _person(rng: Any, group: Group) -> Person:
    return Person(unit=group.unit, full_name=person_name(rng), birth_year=rng.randint(1955, 2000))


def _crew_on_duty(rng: Any, crew: list[Person]) -> list[Person]:
    """The leader or deputy and two to four others."""
    return [*crew[:1], *rng.sample(crew[1:], min(len(crew) - 1, rng.randint(2, 4)))]


def _patrol_2024(rng: Any, group: Group) -> Patrol:
    start = dt.time(rng.choice([19, 20, 21, 22]), 0)
    hours = rng.choice([2, 2, 3, 4])
    end = dt.time((start.hour + hours) % 24, 0)
    return Patrol(
        group=group,
        date=_day_between(rng, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        start_time=start,
        end_time=end,
        area=f"Các tuyến đường {group.unit.name}",
        observed=rng.choice(
            [
                "Bình thường",
                "Nhắc nhở nhóm thanh niên tụ tập",
                "Phát hiện xe máy để qua đêm ngoài đường",
                "",
            ]
        ),
        hours=Decimal(hours),
    )


def movement_models(ctx: DemoContext) -> None:
    """25 models in Cẩm Phả and one drug-prevention model in each other legacy district."""
    rng, district, province = ctx.rng, ctx.units["cam_pha"], ctx.units["province"]
    wards = list(district.children.order_by("code"))
    created: list[MovementModel] = []
    for i in range(CAM_PHA_MODELS):
        theme, lead, name = CAM_PHA_MODEL_THEMES[i % len(CAM_PHA_MODEL_THEMES)]
        owner = district if i == 0 else wards[i % len(wards)]
        created.append(
            MovementModel(
                unit=owner,
                name=name
                if i < len(CAM_PHA_MODEL_THEMES)
                else f"{name} ({owner.short_name or owner.name})",
                theme=theme,
                lead_organisation=lead,
                status=rng.choice(["running", "running", "replicated", "piloted"]),
                start_date=_day_between(rng, dt.date(2017, 1, 1), dt.date(2025, 5, 31)),
                goals="Giữ vững an ninh trật tự, không để phát sinh tệ nạn",
                indicators="Số vụ việc giảm so với năm trước",
            )
        )
    others = AdminUnit.objects.filter(parent=province, level=UnitLevel.DISTRICT).exclude(
        pk=district.pk
    )
    for other in others.order_by("code"):
        created.append(
            MovementModel(
                unit=other,
                name="Dân vận khéo phòng, chống ma túy",
                theme=ModelTheme.DRUG_PREVENTION,
                lead_organisation=LeadOrganisation.POLICE,
                status="running",
                start_date=_day_between(rng, dt.date(2021, 1, 1), dt.date(2024, 6, 30)),
                goals="Mỗi thôn, khu là một pháo đài, mỗi gia đình là một lá chắn",
            )
        )
    created = MovementModel.objects.bulk_create(created)
    through = MovementModel.units.through
    through.objects.bulk_create(
        [through(movementmodel_id=m.pk, adminunit_id=m.unit_id) for m in created]
    )
    ModelEvaluation.objects.bulk_create(
        [
            ModelEvaluation(
                movement_model=m,
                date=max(m.start_date, dt.date(2024, 11, 15)),
                score=rng.randint(60, 95),
                findings="Mô hình phát huy hiệu quả",
                recommendations="Nhân rộng ra các khu khác",
            )
            for m in created
        ]
    )
    started = [m.start_date for m in created]
    audit_record_bulk(
        None,
        "demo.models",
        MovementModel,
        count=len(created),
        first_day=min(started),
        last_day=max(started),
        unit=province,
    )
    ctx.log(
        f"  movement models: {CAM_PHA_MODELS} in Cẩm Phả, {len(created) - CAM_PHA_MODELS} elsewhere"
    )


@transaction.atomic
def persona_group(ctx: DemoContext) -> None:
    """The group-leader persona's group in Khu 1 (Cửa Ông), with members, patrols and this week's roster."""
    rng, hood, user = ctx.rng, ctx.units["cam_thinh_khu1_2025"], ctx.users["group_leader"]
    leader, _created = Person.objects.get_or_create(
        user=user, defaults={"unit": hood, "full_name": "Vũ Văn Nam"}
    )
    group = Group.objects.create(
        unit=hood,
        name="Tổ tự quản an ninh trật tự Khu 1",
        households_covered=48,
        founded_on=dt.date(2025, 7, 15),
    )
    other = Group.objects.create(
        unit=hood,
        name="Tổ liên gia Khu 1",
        group_type=GroupType.INTER_FAMILY,
        households_covered=12,
        founded_on=dt.date(2025, 8, 1),
    )
    people = Person.objects.bulk_create(
        [Person(unit=hood, full_name=person_name(rng)) for _n in range(8)]
    )
    Membership.objects.bulk_create(
        [Membership(group=group, person=leader, role="leader", joined_on=group.founded_on)]
        + [
            Membership(
                group=group,
                person=p,
                role="deputy" if i == 0 else "member",
                joined_on=group.founded_on,
            )
            for i, p in enumerate(people[:6])
        ]
        + [
            Membership(
                group=other,
                person=p,
                role="leader" if i == 0 else "member",
                joined_on=other.founded_on,
            )
            for i, p in enumerate(people[6:])
        ]
    )
    today = timezone.localdate()
    for weeks_ago in range(1, 9):
        patrol = Patrol.objects.create(
            group=group,
            date=today - dt.timedelta(days=7 * weeks_ago),
            start_time=dt.time(20),
            end_time=dt.time(22, 30),
            area="Chợ Cửa Ông và bờ kè",
            hours=Decimal("2.5"),
            observed="Bình thường",
            recorded_by=user,
        )
        patrol.members_present.set([leader, *rng.sample(people[:6], 3)])
    monday = today - dt.timedelta(days=today.weekday())
    RosterSlot.objects.bulk_create(
        [
            RosterSlot(
                group=group,
                person=p,
                date=monday + dt.timedelta(days=i),
                start_time=dt.time(20),
                end_time=dt.time(22),
                area="Chợ Cửa Ông",
            )
            for i, p in enumerate([leader, *people[:6]])
        ]
    )
    audit_record(None, "demo.persona_group", group, changes={"members": 7})


def fortress(ctx: DemoContext) -> None:
    """Drug-free assessments of Cẩm Thịnh's neighbourhoods (2024, and the second half of 2025),
    and shield pledges from Khu 1's households."""
    rng = ctx.rng
    rows: list[FortressAssessment] = []
    periods = [
        (ctx.units["cam_thinh"], dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (ctx.units["cua_ong"], dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
    ]
    for ward, start, end in periods:
        for hood in ward.children.filter(level=UnitLevel.NEIGHBOURHOOD).order_by("code")[:11]:
            checks = {
                code: {
                    "label": str(label),
                    "met": rng.random() < 0.8,
                    "evidence": "Biên bản họp khu dân cư",
                }
                for code, label in DEFAULT_CRITERIA
            }
            rows.append(
                FortressAssessment(
                    unit=hood,
                    period_start=start,
                    period_end=end,
                    criteria=checks,
                    result=fortress_result(checks),
                    assessed_on=end,
                )
            )
    FortressAssessment.objects.bulk_create(rows)
    hood = ctx.units["cam_thinh_khu1_2025"]
    households = Household.objects.bulk_create(
        [
            Household(unit=hood, label=f"Hộ {person_name(rng)}", members=rng.randint(2, 6))
            for _n in range(40)
        ]
    )
    ShieldPledge.objects.bulk_create(
        [
            ShieldPledge(
                household=h,
                pledged_on=_day_between(rng, REFORM, dt.date(2025, 12, 31)),
                signed_by="Chủ hộ",
            )
            for h in households[:34]
        ]
    )
    ends = [r.period_end for r in rows]
    audit_record_bulk(
        None,
        "demo.fortress",
        FortressAssessment,
        count=len(rows),
        first_day=min(ends, default=None),
        last_day=max(ends, default=None),
        unit=ctx.units["cua_ong"],
        changes={"pledges": 34},
    )


@register_demo_step("community", order=400)
def populate(ctx: DemoContext) -> None:
    with transaction.atomic():
        cam_pha_groups(ctx)
        movement_models(ctx)
        persona_group(ctx)
        fortress(ctx)
