"""Demo reports: Quảng Ninh from 2019 on; in Cẩm Thịnh (and Cửa Ông after July 2025)
confirmed violations fall year by year and no open case is overdue today.

Past years are written in bulk with their historical timestamps (an import of old
records, not live intake), each with its audit events (received, resolved, closed) written
in bulk too; the handful of current reports go through ``report_submit``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from safeward.core.audit import audit_record_many
from safeward.demo.registry import DemoContext, register_demo_step
from safeward.geo.choices import UnitLevel
from safeward.geo.models import AdminUnit
from safeward.reports.choices import (
    TRACK_DAYS,
    VIOLATION_OUTCOMES,
    EventKind,
    Outcome,
    ReportStatus,
)
from safeward.reports.models import Report, ReportEvent, RoutingRule, ServiceCategory, hash_secret
from safeward.reports.services import (
    ReporterInfo,
    new_secret,
    new_tracking_code,
    open311_client_create,
    report_assign,
    report_start_verifying,
    report_submit,
    routing_rule_create,
)

REFORM_DAY = dt.date(2025, 7, 1)
FIRST_YEAR = 2019
# Confirmed violations in Cẩm Thịnh / Cửa Ông per year: falling every year.
CAM_THINH_VIOLATIONS = {
    2019: 46,
    2020: 40,
    2021: 33,
    2022: 27,
    2023: 22,
    2024: 17,
    2025: 13,
    2026: 9,
}
UNFOUNDED_SHARE = 0.3
OTHER_WARDS = 24
OTHER_WARD_YEARLY = (6, 16)
DESCRIPTIONS = {
    "theft": "Mất trộm xe máy để trước cửa nhà",
    "drugs": "Nghi có người tụ tập sử dụng ma túy ở bãi đất trống",
    "gambling": "Nhóm người đánh bạc ăn tiền tại quán nước",
    "disorder": "Thanh niên tụ tập gây gổ, đánh nhau",
    "suspicious": "Người lạ lảng vảng, quan sát nhà dân",
    "social-evils": "Dán quảng cáo cho vay nặng lãi",
    "traffic-order": "Xe tải đỗ chiếm lòng đường",
    "noise": "Hát karaoke quá 22 giờ",
    "environment": "Đổ trộm rác thải xây dựng",
    "other": "Đề nghị lắp thêm đèn chiếu sáng ngõ",
}
ATTRIBUTES = {"drugs": {"activity": "gathering"}}


def _moment(rng: random.Random, year: int, start: dt.date, end: dt.date) -> dt.datetime:
    first = max(start, dt.date(year, 1, 1))
    last = min(end, dt.date(year, 12, 31))
    day = first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randrange(6, 23), rng.randrange(60)))
    )


def _neighbourhoods(ward: AdminUnit) -> list[AdminUnit]:
    found = list(
        AdminUnit.objects.filter(parent=ward, level=UnitLevel.NEIGHBOURHOOD).order_by("code")
    )
    return found or [ward]


def _row(
    rng: random.Random,
    category: ServiceCategory,
    unit: AdminUnit,
    ward: AdminUnit,
    when: dt.datetime,
    outcome: str,
) -> Report:
    received = when + dt.timedelta(minutes=rng.randrange(20, 600))
    days = TRACK_DAYS[category.default_track]
    resolved = received + dt.timedelta(days=rng.uniform(0.5, days - 1), hours=1)
    code = new_tracking_code()
    lat = (unit.centroid_lat or 21.0) + rng.uniform(-0.002, 0.002)
    lon = (unit.centroid_lon or 107.3) + rng.uniform(-0.002, 0.002)
    return Report(
        tracking_code=code,
        secret_hash=hash_secret(code, new_secret()),
        category=category,
        attributes=ATTRIBUTES.get(category.code, {}),
        description=DESCRIPTIONS[category.code],
        latitude=lat,
        longitude=lon,
        unit=unit,
        unit_path=unit.path,
        ward=ward,
        occurred_at=when,
        received_at=received,
        updated_at=resolved,
        channel=rng.choice(["web", "web", "phone", "walk_in", "open311"]),
        anonymous=rng.random() < 0.6,
        status=ReportStatus.CLOSED,
        track=category.default_track,
        due_on=timezone.localdate(received) + dt.timedelta(days=days),
        outcome=outcome,
        resolved_at=resolved,
        public_note="Đã xác minh và xử lý."
        if outcome != Outcome.UNFOUNDED
        else "Không phát hiện vi phạm.",
    )


def _history_for(
    rng: random.Random,
    ward: AdminUnit,
    counts: dict[int, int],
    start: dt.date,
    end: dt.date,
    categories: list[ServiceCategory],
) -> list[Report]:
    units = _neighbourhoods(ward)
    rows = []
    for year, violations in counts.items():
        unfounded = round(violations * UNFOUNDED_SHARE / (1 - UNFOUNDED_SHARE))
        for n in range(violations + unfounded):
            outcome = rng.choice(VIOLATION_OUTCOMES) if n < violations else Outcome.UNFOUNDED
            when = _moment(rng, year, start, end)
            rows.append(_row(rng, rng.choice(categories), rng.choice(units), ward, when, outcome))
    return rows


def _split_year(year_total: int, share_before: float) -> tuple[int, int]:
    before = round(year_total * share_before)
    return before, year_total - before


def cam_thinh_history(
    ctx: DemoContext, categories: list[ServiceCategory], today: dt.date
) -> list[Report]:
    """Cẩm Thịnh before the reform, Cửa Ông after; the year 2025 split at 1 July."""
    before_counts, after_counts = {}, {}
    for year, total in CAM_THINH_VIOLATIONS.items():
        if year < 2025:
            before_counts[year] = total
        elif year == 2025:
            before_counts[year], after_counts[year] = _split_year(total, 0.5)
        else:
            after_counts[year] = total
    last_closed = today - dt.timedelta(days=45)
    rows = _history_for(
        ctx.rng,
        ctx.units["cam_thinh"],
        before_counts,
        dt.date(FIRST_YEAR, 1, 1),
        REFORM_DAY - dt.timedelta(1),
        categories,
    )
    rows += _history_for(
        ctx.rng, ctx.units["cua_ong"], after_counts, REFORM_DAY, last_closed, categories
    )
    return rows


def other_history(
    ctx: DemoContext, categories: list[ServiceCategory], today: dt.date
) -> list[Report]:
    """Background volume in other wards of the province, before and after the reform."""
    province = ctx.units["province"]
    wards = (
        AdminUnit.objects.filter(level=UnitLevel.WARD, path__subtree=province.path)
        .exclude(pk__in=[ctx.units["cam_thinh"].pk, ctx.units["cua_ong"].pk])
        .exclude(centroid_lat__isnull=True)
        .order_by("code")
    )
    legacy = [w for w in wards if w.valid_to][:OTHER_WARDS]
    current = [w for w in wards if not w.valid_to][: OTHER_WARDS // 2]
    rows: list[Report] = []
    for ward in legacy:
        counts = {y: ctx.rng.randint(*OTHER_WARD_YEARLY) for y in range(FIRST_YEAR, 2026)}
        rows += _history_for(
            ctx.rng,
            ward,
            counts,
            dt.date(FIRST_YEAR, 1, 1),
            REFORM_DAY - dt.timedelta(1),
            categories,
        )
    for ward in current:
        counts = {y: ctx.rng.randint(*OTHER_WARD_YEARLY) for y in (2025, 2026)}
        rows += _history_for(
            ctx.rng, ward, counts, REFORM_DAY, today - dt.timedelta(days=30), categories
        )
    return rows


def _events(reports: list[Report]) -> list[ReportEvent]:
    events = []
    for r in reports:
        events.append(
            ReportEvent(
                report=r,
                kind=EventKind.SUBMITTED,
                at=r.received_at,
                public=True,
                status=ReportStatus.RECEIVED,
            )
        )
        events.append(
            ReportEvent(
                report=r,
                kind=EventKind.STATUS,
                at=r.resolved_at or r.updated_at,
                public=True,
                status=ReportStatus.RESOLVED,
                note=r.public_note,
            )
        )
        events.append(
            ReportEvent(
                report=r,
                kind=EventKind.STATUS,
                at=r.updated_at,
                public=True,
                status=ReportStatus.CLOSED,
            )
        )
    return events


HISTORY_REASON = "demo history, written in bulk"


def audit_history(reports: list[Report]) -> int:
    """The audit trail of the bulk-written history: each report received, resolved and closed."""
    written = audit_record_many(
        None,
        "reports.submit",
        reports,
        occurred_at=lambda r: r.received_at,
        reason=HISTORY_REASON,
        changes=lambda r: {"channel": r.channel},
    )
    written += audit_record_many(
        None,
        "reports.status",
        reports,
        occurred_at=lambda r: r.resolved_at or r.updated_at,
        reason=HISTORY_REASON,
        changes=lambda r: {
            "status": [ReportStatus.RECEIVED, ReportStatus.RESOLVED],
            "outcome": r.outcome,
        },
    )
    written += audit_record_many(
        None,
        "reports.status",
        reports,
        occurred_at=lambda r: r.updated_at,
        reason=HISTORY_REASON,
        changes=lambda r: {"status": [ReportStatus.RESOLVED, ReportStatus.CLOSED]},
    )
    return written


def current_cases(ctx: DemoContext) -> int:
    """A few open reports in Cửa Ông, all inside their deadlines, and one routing rule."""
    officer, cua_ong = ctx.users["ward_officer"], ctx.units["cua_ong"]
    routing_rule_create(officer, unit=cua_ong, team="Tổ an ninh Cửa Ông")
    cases = [
        ("noise", "Karaoke ồn ào sau 22 giờ", None),
        ("theft", "Mất điện thoại ở chợ", "assign"),
        ("suspicious", "Xe máy không biển số đi lại nhiều lần", "verify"),
    ]
    units = _neighbourhoods(cua_ong)
    for code, text, step in cases:
        unit = ctx.rng.choice(units)
        report = report_submit(
            None,
            category=ServiceCategory.objects.get(code=code),
            description=text,
            channel="web",
            latitude=unit.centroid_lat,
            longitude=unit.centroid_lon,
            unit=unit,
            reporter=ReporterInfo("Ngô Thị Mai", "0912000111", "", anonymous=code != "noise"),
        ).report
        if step:
            report_assign(officer, report, assignee=officer)
        if step == "verify":
            report_start_verifying(officer, report)
    return len(cases)


@register_demo_step("reports", order=200)
def populate(ctx: DemoContext) -> None:
    if Report.objects.exists() or RoutingRule.objects.exists():
        ctx.log("  reports: already present")
        return
    today = timezone.localdate()
    categories = list(ServiceCategory.objects.filter(active=True))
    with transaction.atomic():
        rows = cam_thinh_history(ctx, categories, today) + other_history(ctx, categories, today)
        rows.sort(key=lambda r: r.received_at)
        Report.objects.bulk_create(rows, batch_size=500)
        ReportEvent.objects.bulk_create(_events(rows), batch_size=1000)
        audit_history(rows)
        opened = current_cases(ctx)
        _client, key = open311_client_create(
            ctx.users["province_admin"], name="Ứng dụng phản ánh 311"
        )
    ctx.log(f"  reports: {len(rows)} past reports since {FIRST_YEAR}, {opened} open in Cửa Ông")
    ctx.log(f"  Open311 api_key (demo): {key}")
