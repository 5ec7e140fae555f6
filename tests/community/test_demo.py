"""The demo adds up to the mission's figures from individual rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum

from safeward.community import demo as community_demo
from safeward.community import services
from safeward.community.models import Group, Patrol
from safeward.geo.models import AdminUnit
from safeward.outreach import demo as outreach_demo
from safeward.outreach import services as outreach


def test_demo_reproduces_the_mission_figures(demo_ctx: Any) -> None:
    community_demo.populate(demo_ctx)
    outreach_demo.populate(demo_ctx)
    cam_pha = demo_ctx.units["cam_pha"]
    reform = dt.date(2025, 7, 1)

    groups = services.groups_in([cam_pha.path])
    assert groups.count() == 1163
    # every group has a leader, a deputy and members; every 2024 patrol says who went
    sizes = groups.annotate(n=Count("memberships")).values_list("n", flat=True)
    assert min(sizes) >= 4
    assert groups.filter(memberships__role="deputy").count() == 1163
    patrols = Patrol.objects.filter(group__in=groups, date__year=2024)
    assert patrols.count() == 1163 * 4
    assert not patrols.annotate(n=Count("members_present")).filter(n__lt=3).exists()
    assert not groups.filter(founded_on__gte=reform).exists()
    models = services.models_in([cam_pha.path])
    assert models.count() == 25
    assert not models.filter(start_date__gte=reform).exists()
    districts = AdminUnit.objects.filter(parent=demo_ctx.units["province"], level="district")
    assert districts.count() == 13
    for district in districts:
        assert services.models_in([district.path]).filter(theme="drug_prevention").exists(), (
            district
        )

    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    sessions = outreach.sessions_in([demo_ctx.units["province"].path], *year).filter(
        topic__in=["crime", "drugs"], status="held"
    )
    assert sessions.count() == 57
    assert sessions.aggregate(n=Sum("attendance"))["n"] == 13260
    assert outreach.courses_in([cam_pha.path], *year).count() == 4
    participants = outreach.participants_in([cam_pha.path], *year)
    assert participants.count() == 580
    leaders = set(services.group_leaders_in([cam_pha.path]).values_list("person_id", flat=True))
    assert set(participants.values_list("person_id", flat=True)) <= leaders
    assert not participants.filter(group__isnull=True).exists()

    figures = services.community_summary([cam_pha.path], on=dt.date(2025, 6, 30))
    assert (figures["groups"], figures["models"]) == (1163, 25)
    assert figures["patrol_hours"] > 0
    province = outreach.outreach_summary([demo_ctx.units["province"].path], *year)
    assert (province["sessions"], province["attendees"]) == (57, 13260)
    assert (province["courses"], province["participants"]) == (4, 580)
    assert sum(t["attendees"] for t in province["by_topic"].values()) == 13260


def test_demo_gives_the_group_leader_a_group_of_their_own(demo_ctx: Any) -> None:
    community_demo.populate(demo_ctx)
    user = demo_ctx.users["group_leader"]
    led = Group.objects.restrict(user, "change")
    assert list(led.values_list("name", flat=True)) == ["Tổ tự quản an ninh trật tự Khu 1"]
    visible = Group.objects.restrict(user, "view")
    assert visible.filter(unit=demo_ctx.units["cam_thinh_khu1_2025"]).count() == 2
    # and the groups recorded before July 2025 in the neighbourhood Khu 1 succeeded
    assert visible.filter(unit=demo_ctx.units["cam_thinh_khu1"]).exists()
