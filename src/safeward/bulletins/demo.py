"""Demo bulletins: Cửa Ông police share the drug situation with the self-managed groups of
its neighbourhoods, with families with high-risk members and with people in community
rehabilitation (a second officer approves); a public safety bulletin for subscribers; the
deliveries sent, answers given and one "I have information" report filed from a bulletin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from safeward.bulletins import services
from safeward.bulletins.choices import AudienceKind
from safeward.bulletins.delivery import fan_out_bulletin, send_due
from safeward.bulletins.models import Delivery
from safeward.bulletins.services import Audience, Text
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.geo.models import AdminUnit
from safeward.people.models import Person

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Phúc", "Quân"]


def _people(ctx: DemoContext, hoods: list[AdminUnit], count: int) -> list[Person]:
    rng = ctx.rng
    return [
        Person.objects.create(
            unit=rng.choice(hoods),
            full_name=f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
            birth_year=rng.randint(1960, 2004),
        )
        for _n in range(count)
    ]


def _contact(officer: Any, person: Person, kind: str, n: int) -> None:
    value = {
        "sms": f"0912{n:06d}",
        "zalo": f"0987{n:06d}",
        "email": f"nguoidan{n}@example.vn",
        "app": "",
    }[kind]
    services.contact_point_add(
        officer,
        person,
        kind=kind,
        value=value,
        consent_on=dt.date(2026, 3, 1),
        consent_method="written" if kind != "app" else "in_app",
    )


TEXTS = [
    Text(
        "vi",
        "Tình hình ma túy trên địa bàn phường tháng 11/2026",
        "Công an phường Cửa Ông thông tin: trong tháng phát hiện 3 vụ tàng trữ trái phép chất"
        " ma túy tại khu vực chợ và bến xe. Đối tượng thường lôi kéo thanh thiếu niên qua mạng"
        " xã hội.",
        "Quan tâm, nhắc nhở con em; báo ngay cho Công an phường (0203 3865 113) khi thấy dấu"
        " hiệu mua bán, sử dụng ma túy.",
    ),
    Text(
        "en",
        "Drug situation in the ward, November 2026",
        "Cửa Ông ward police report 3 cases of illegal drug possession around the market and"
        " the bus station this month. Dealers often approach young people on social media.",
        "Talk with your children; tell the ward police (0203 3865 113) at once if you see drugs"
        " being sold or used.",
    ),
    Text(
        "ar",
        "وضع المخدرات في الحي، نوفمبر 2026",
        "تفيد شرطة حي كوا أونغ بضبط 3 قضايا حيازة مخدرات قرب السوق ومحطة الحافلات هذا الشهر.",
        "تحدثوا مع أبنائكم؛ أبلغوا شرطة الحي فوراً عند رؤية بيع أو تعاطي المخدرات.",
    ),
]


@register_demo_step("bulletins", order=420)
def populate(ctx: DemoContext) -> None:
    officer, approver = ctx.users["ward_officer"], ctx.users["city_officer"]
    cua_ong = ctx.units["cua_ong"]
    hoods = list(cua_ong.children.filter(valid_to__isnull=True).order_by("code")) or [cua_ong]
    membership = apps.get_model("community", "Membership")
    group_model = apps.get_model("community", "Group")
    groups = list(group_model.objects.in_unit(cua_ong).order_by("pk")[:3])
    n = 0
    for group in groups:
        for m in membership.objects.filter(group=group).active().select_related("person"):
            n += 1
            _contact(officer, m.person, ["sms", "zalo", "email"][n % 3], n)
    cohorts = []
    for kind, name, size in (
        ("high_risk_family", "Hộ gia đình có người nguy cơ cao", 8),
        ("rehab", "Người cai nghiện tại cộng đồng", 6),
        ("rehab_family", "Gia đình người cai nghiện tại cộng đồng", 6),
    ):
        cohort = services.cohort_create(
            officer,
            cua_ong,
            kind=kind,
            name=name,
            neutral_wording="Thông tin của Công an phường Cửa Ông gửi cư dân",
        )
        for person in _people(ctx, hoods, size):
            n += 1
            _contact(officer, person, ["sms", "zalo", "email"][n % 3], n)
            services.cohort_member_add(officer, cohort, person)
        cohorts.append(cohort)
    resident_user = ctx.users["resident"]
    resident = getattr(resident_user, "person", None) or Person.objects.create(
        unit=hoods[0], full_name="Ngô Thị Mai", user=resident_user
    )
    _contact(officer, resident, "app", 0)
    services.subscribe(resident_user, resident, topics=["Security", "Safety"])
    audiences = [Audience(AudienceKind.GROUP, g) for g in groups] + [
        Audience(AudienceKind.COHORT, c) for c in cohorts
    ]
    expires = timezone.now() + dt.timedelta(days=30)
    drugs = services.bulletin_draft(
        officer,
        cua_ong,
        category="Security",
        event="Tình hình ma túy",
        urgency="Expected",
        severity="Moderate",
        certainty="Observed",
        expires_at=expires,
        texts=TEXTS,
        audiences=audiences,
    )
    services.bulletin_submit(officer, drugs)
    services.bulletin_approve(approver, drugs)
    services.bulletin_send(officer, drugs)
    public = services.bulletin_draft(
        officer,
        cua_ong,
        category="Safety",
        event="Lừa đảo qua điện thoại",
        urgency="Immediate",
        severity="Moderate",
        certainty="Observed",
        expires_at=expires,
        texts=[
            Text(
                "vi",
                "Cảnh giác cuộc gọi giả danh công an",
                "Xuất hiện các cuộc gọi giả danh công an yêu cầu chuyển tiền để “xác minh”.",
                "Không chuyển tiền; gọi lại số trực ban Công an phường để kiểm tra.",
            ),
            Text(
                "en",
                "Beware of calls impersonating the police",
                "Callers pretending to be police ask people to transfer money “for checks”.",
                "Never transfer money; call the ward police duty number to check.",
            ),
        ],
        audiences=[Audience(AudienceKind.UNIT, cua_ong)],
    )
    services.bulletin_submit(officer, public)
    services.bulletin_send(officer, public)
    for bulletin in (drugs, public):
        fan_out_bulletin(bulletin.pk)
        send_due(bulletin_id=bulletin.pk, max_seconds=60)
    _answers(ctx, drugs, resident)


def _answers(ctx: DemoContext, drugs: Any, resident: Person) -> None:
    """Most recipients answer "seen"; one answers "I have information" with a report."""
    from safeward.reports.services import report_submit

    rng = ctx.rng
    people = list(
        Delivery.objects.filter(bulletin=drugs).values_list("person_id", flat=True).distinct()
    )
    seen = rng.sample(people, k=len(people) * 2 // 3)
    Delivery.objects.filter(bulletin=drugs, person_id__in=seen).update(
        state="acknowledged", answer="seen", answered_at=timezone.now()
    )
    categories = apps.get_model("reports", "ServiceCategory").objects.filter(active=True)
    category = categories.filter(code__icontains="drug").first() or categories.first()
    if category is None:
        return
    informant = next(p for p in people if p not in seen)
    submission = report_submit(
        None,
        category=category,
        description=(
            "Thông tin theo bản tin của Công an phường: tối thứ Bảy có người lạ tụ tập, trao"
            " đổi gói nhỏ sau dãy ki-ốt chợ Cửa Ông."
        ),
        channel="web",
        unit=ctx.units["cua_ong"],
        attributes={"activity": "dealing"} if category.code == "drugs" else {},
    )
    Delivery.objects.filter(bulletin=drugs, person_id=informant).update(
        state="acknowledged",
        answer="information",
        answered_at=timezone.now(),
        report=submission.report,
    )
