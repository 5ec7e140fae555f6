"""Demo records: 57 propaganda sessions with 13,260 attendees and 4 courses with 580 group
leaders in 2024, social posts, and planned sessions for the public calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeward.core.audit import audit_record_bulk
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.outreach.models import Course, Participant, Session, SocialPost

SESSIONS_2024 = 57
ATTENDEES_2024 = 13_260
COURSES_2024 = 4
LEADERS_TRAINED_2024 = 580
PLACES = ["Nhà văn hóa {unit}", "Trường THCS {unit}", "Hội trường UBND {unit}", "Sân chợ {unit}"]
FORMS = ["in_person", "in_person", "school", "loudspeaker"]


def split_total(rng: Any, total: int, parts: int, low: int, high: int) -> list[int]:
    """``parts`` whole numbers within ``[low, high]`` adding up to ``total``."""
    values = [rng.randint(low, high) for _n in range(parts)]
    i = 0
    while sum(values) != total:
        step = 1 if sum(values) < total else -1
        if low <= values[i] + step <= high:
            values[i] += step
        i = (i + 1) % parts
    return values


def _day_2024(rng: Any) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 365))


def sessions_2024(ctx: DemoContext) -> None:
    """57 sessions on crime and drug prevention across the province's legacy wards."""
    rng, province = ctx.rng, ctx.units["province"]
    wards = list(
        AdminUnit.objects.subtree_of(province)
        .filter(level=UnitLevel.WARD, valid_to__isnull=False)
        .order_by("code")
    )
    counts = split_total(rng, ATTENDEES_2024, SESSIONS_2024, 120, 350)
    rows = []
    for count in counts:
        ward = rng.choice(wards)
        rows.append(
            Session(
                unit=ward,
                date=_day_2024(rng),
                start_time=dt.time(rng.choice([8, 14, 19])),
                place=rng.choice(PLACES).format(unit=ward.short_name or ward.name),
                topic=rng.choice(["drugs", "drugs", "crime"]),
                form=rng.choice(FORMS),
                organisers=["police", "front"],
                audience="Nhân dân, học sinh, thanh niên",
                status="held",
                attendance=count,
            )
        )
    Session.objects.bulk_create(rows)
    posts = [
        SocialPost(
            unit=rng.choice(wards),
            platform=rng.choice(["facebook", "zalo", "tiktok"]),
            url=f"https://facebook.com/conganquangninh/posts/2024{i:04d}",
            date=_day_2024(rng),
            topic=rng.choice(["drugs", "fraud_cyber", "crime"]),
            reach=rng.randint(800, 25_000),
        )
        for i in range(40)
    ]
    SocialPost.objects.bulk_create(posts)
    days = [r.date for r in rows]
    audit_record_bulk(
        None,
        "demo.sessions",
        Session,
        count=len(rows),
        first_day=min(days),
        last_day=max(days),
        unit=province,
        changes={"attendees": sum(counts)},
    )
    post_days = [p.date for p in posts]
    audit_record_bulk(
        None,
        "demo.sessions",
        SocialPost,
        count=len(posts),
        first_day=min(post_days),
        last_day=max(post_days),
        unit=province,
    )
    ctx.log(f"  sessions: {len(rows)} in 2024 with {sum(counts)} attendees; {len(posts)} posts")


def courses_2024(ctx: DemoContext) -> None:
    """4 courses for 580 of Cẩm Phả's group leaders, each attended in full."""
    rng, district = ctx.rng, ctx.units["cam_pha"]
    leaders = ctx.data.get("cam_pha_leaders") or []
    starts = [
        dt.date(2024, 3, 12),
        dt.date(2024, 5, 21),
        dt.date(2024, 8, 13),
        dt.date(2024, 10, 22),
    ]
    courses = Course.objects.bulk_create(
        [
            Course(
                unit=district,
                title=f"Tập huấn kỹ năng phòng, chống ma túy cho tổ trưởng tổ tự quản (đợt {i + 1})",
                topics="Kiến thức pháp luật; kỹ năng phát hiện, tố giác tội phạm ma túy; nghiệp vụ tuần tra",
                start_date=start,
                end_date=start + dt.timedelta(days=2),
                place="Hội trường Công an thành phố Cẩm Phả",
                trainers="Phòng Cảnh sát điều tra tội phạm về ma túy",
                organiser="police",
            )
            for i, start in enumerate(starts)
        ]
    )
    per_course = LEADERS_TRAINED_2024 // COURSES_2024
    rows = []
    for i, person in enumerate(leaders[:LEADERS_TRAINED_2024]):
        course = courses[i // per_course]
        passed = rng.random() < 0.97
        rows.append(
            Participant(
                course=course,
                person=person,
                days_attended=[d.isoformat() for d in course.days()],
                result="passed" if passed else "failed",
                completed=passed,
            )
        )
    rows = Participant.objects.bulk_create(rows, batch_size=500)
    for p in rows:
        p.certificate_number = f"2024-{p.course_id:04d}-{p.pk:05d}" if p.completed else ""
    Participant.objects.bulk_update(rows, ["certificate_number"], batch_size=500)
    _link_groups(rows)
    audit_record_bulk(
        None,
        "demo.courses",
        Course,
        count=len(courses),
        first_day=min(starts),
        last_day=max(starts),
        unit=district,
        changes={"participants": len(rows)},
    )
    ctx.log(f"  courses: {len(courses)} in 2024 with {len(rows)} group leaders")


def _link_groups(rows: list[Participant]) -> None:
    from safeward.community.services import active_group_of

    groups = active_group_of(p.person_id for p in rows)
    for p in rows:
        p.group_id = groups.get(p.person_id)
    Participant.objects.bulk_update(rows, ["group"], batch_size=500)


def current_sessions(ctx: DemoContext) -> None:
    """Recent held sessions and the planned ones residents see on the public calendar."""
    rng, ward = ctx.rng, ctx.units["cua_ong"]
    today = timezone.localdate()
    held = [
        Session(
            unit=ward,
            date=today - dt.timedelta(days=rng.randint(5, 120)),
            place="Nhà văn hóa Khu 1",
            topic=rng.choice(["drugs", "fraud_cyber", "traffic"]),
            form="in_person",
            organisers=["police", "front"],
            status="held",
            attendance=rng.randint(60, 180),
        )
        for _n in range(6)
    ]
    planned = [
        Session(
            unit=ward,
            date=today + dt.timedelta(days=7 * (n + 1)),
            start_time=dt.time(19, 30),
            place=f"Nhà văn hóa Khu {n + 1}",
            topic=["drugs", "fraud_cyber", "crime", "traffic"][n % 4],
            form="in_person",
            organisers=["police", "front"],
            audience="Toàn thể nhân dân trong khu",
            status="planned",
        )
        for n in range(6)
    ]
    Session.objects.bulk_create(held + planned)
    days = [s.date for s in held + planned]
    audit_record_bulk(
        None,
        "demo.current_sessions",
        Session,
        count=len(held) + len(planned),
        first_day=min(days),
        last_day=max(days),
        unit=ward,
        changes={"held": len(held), "planned": len(planned)},
    )


@register_demo_step("outreach", order=410)
def populate(ctx: DemoContext) -> None:
    with transaction.atomic():
        sessions_2024(ctx)
        courses_2024(ctx)
        current_sessions(ctx)
