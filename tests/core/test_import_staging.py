"""Every import kind writes its rows hidden: between batches no reader sees any of them.

For each kind a file is imported while a receiver of ``batch_written`` (sent after every
committed batch, the last one included, before the switch-in) looks at what readers see:
every model's rows through its default manager (what lists, pages and the API build on),
many-to-many rows included, and the kind's API lists as the uploader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from safeward.core.importing import KINDS, ImportKind, run_import
from safeward.core.importjobs import batch_written
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

# What an import itself writes: its job, the audit trail, the task queue.
NOT_READ_AS_DATA = {"core.importjob", "core.auditevent", "django_tasks_db.dbtaskresult"}


@dataclass
class Case:
    actor: str
    kind: str
    content: str
    api: list[str]
    expected: dict[str, int]  # rows each model gains once the import is done


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label not in NOT_READ_AS_DATA and model._meta.managed and not model._meta.proxy:
            counts[label] = model._default_manager.count()
    return counts


def _api_counts(client: Any, paths: list[str]) -> dict[str, int]:
    seen = {}
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        seen[path] = answer.json()["count"]
    return seen


@contextmanager
def _watching(look: Callable[[], None]) -> Iterator[list[int]]:
    batches: list[int] = []

    def receiver(sender: Any, job: Any, rows_written: int, **kwargs: Any) -> None:
        batches.append(rows_written)
        look()

    batch_written.connect(receiver, dispatch_uid="test_import_staging")
    try:
        yield batches
    finally:
        batch_written.disconnect(dispatch_uid="test_import_staging")


def _cameras(units: dict[str, Any]) -> Case:
    code = units["cam_thinh_khu1_2025"].code
    rows = "".join(f"{code},household,Hộ {n},21.01,107.32,{n}\n" for n in range(3))
    return Case(
        "ward_officer",
        "cameras",
        "unit_code,custodian_kind,custodian_label,latitude,longitude,bearing\n" + rows,
        ["/api/v1/cameras/", "/api/v1/camera-consents/"],
        {"cameras.camera": 3, "cameras.consentrecord": 3},
    )


def _contributions(units: dict[str, Any]) -> Case:
    from safeward.accounts.models import User
    from tests.cameras.factories import make_campaign

    front = User.objects.get(username="front_member")
    campaign = make_campaign(front, units["cam_thinh_khu1"])
    return Case(
        "front_member",
        "contributions",
        "campaign_id,donor_name,amount_vnd,date,receipt_no\n"
        f"{campaign.pk},Hộ ông Bình,1500000,2024-04-02,PT-1\n"
        f"{campaign.pk},Hộ bà Lan,500000,2024-04-03,PT-2\n",
        ["/api/v1/contributions/", f"/api/v1/campaigns/?id={campaign.pk}"],
        {"cameras.contribution": 2},
    )


def _households(units: dict[str, Any]) -> Case:
    code = units["cam_thinh_khu1_2025"].code
    return Case(
        "ward_officer",
        "households",
        "unit_code,label,address,phone,members,persons\n"
        f"{code},Hộ ông Lâm,Tổ 3,,3,Lâm Văn Hải (1970); Phạm Thị Hoa (1974)\n"
        f"{code},Hộ bà Tư,Tổ 5,,1,Trần Thị Tư\n",
        ["/api/v1/households/", "/api/v1/persons/"],
        {"people.household": 2, "people.person": 3},
    )


def _groups(units: dict[str, Any]) -> Case:
    code = units["cam_thinh_khu1_2025"].code
    return Case(
        "ward_officer",
        "groups",
        "unit_code,name,group_type,founded_on,households_covered\n"
        f"{code},Tổ A,security_order,2025-08-01,20\n{code},Tổ B,security_order,2025-08-02,12\n",
        ["/api/v1/groups/"],
        {"community.group": 2},
    )


def _members(units: dict[str, Any]) -> Case:
    from tests.community import factories as cf

    hood = units["cam_thinh_khu1_2025"]
    cf.led_group(hood, name="Tổ Khu 1")
    return Case(
        "group_leader",
        "members",
        "unit_code,group_name,full_name,phone,role,joined_on\n"
        f"{hood.code},Tổ Khu 1,Lê Văn Tâm,0900000001,member,2025-09-01\n"
        f"{hood.code},Tổ Khu 1,Đỗ Thị Mai,0900000002,member,2025-09-01\n",
        ["/api/v1/group-memberships/", "/api/v1/persons/"],
        {"community.membership": 2, "people.person": 2},
    )


def _sessions(units: dict[str, Any]) -> Case:
    code = units["cam_thinh_khu1_2025"].code
    return Case(
        "front_member",
        "sessions",
        "unit_code,date,place,topic,form,organisers,attendance\n"
        f"{code},2025-09-01,Nhà văn hóa,drugs,in_person,police;front,120\n"
        f"{code},2025-09-08,Nhà văn hóa,drugs,in_person,police,80\n",
        ["/api/v1/outreach-sessions/"],
        {"outreach.session": 2},
    )


def _participants(units: dict[str, Any]) -> Case:
    from tests.community import factories as cf
    from tests.outreach import factories as of

    ward = units["cua_ong"]
    course = of.course(ward)
    first, second = (cf.member(cf.GroupFactory(unit=ward), role="leader") for _ in range(2))
    days = ";".join(d.isoformat() for d in course.days())
    return Case(
        "ward_officer",
        "participants",
        "course_id,unit_code,full_name,phone,days_attended,result\n"
        f"{course.pk},{ward.code},{first.person.full_name},,{days},passed\n"
        f"{course.pk},{ward.code},{second.person.full_name},,,\n",
        ["/api/v1/course-participants/"],
        {"outreach.participant": 2},
    )


def _neighbourhoods(units: dict[str, Any]) -> Case:
    code = units["cua_ong"].code
    return Case(
        "ward_officer",
        "neighbourhoods",
        f"parent_code,code,name,lat,lon\n{code},CSV-1,Khu A,21.02,107.35\n{code},CSV-2,Khu B,,\n",
        [f"/api/v1/units/?parent={units['cua_ong'].pk}"],
        {"geo.adminunit": 2},
    )


CASES = {
    "cameras": _cameras,
    "contributions": _contributions,
    "households": _households,
    "groups": _groups,
    "members": _members,
    "sessions": _sessions,
    "participants": _participants,
    "neighbourhoods": _neighbourhoods,
}


def test_every_file_kind_has_a_case_here() -> None:
    # The national units come from a package's dataset, not a file; the rest are here.
    assert set(KINDS) - {"units"} <= set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_no_reader_sees_an_import_s_rows_between_its_batches(
    personas: dict[str, Any], demo_units: dict[str, Any], code: str
) -> None:
    case = CASES[code](demo_units)
    actor = personas[case.actor]
    kind: ImportKind = KINDS[case.kind].kind
    client = signed_in_client(actor)
    before, api_before = _counts(), _api_counts(client, case.api)
    seen: list[tuple[dict[str, int], dict[str, int]]] = []

    def look() -> None:
        seen.append((_counts(), _api_counts(client, case.api)))

    with _watching(look) as batches:
        result = run_import(actor, kind, f"{code}.csv", case.content.encode())
    assert result.ok, result.errors
    assert batches, "the import wrote no batch"
    for counts, api in seen:
        grown = {m: counts[m] - before[m] for m in counts if counts[m] != before[m]}
        assert grown == {}, f"visible before the switch-in: {grown}"
        assert api == api_before
    after = _counts()
    grown = {m: after[m] - before[m] for m in after if after[m] != before[m]}
    assert {m: grown.get(m, 0) for m in case.expected} == case.expected, grown
    assert _api_counts(client, case.api) != api_before


def test_figures_refreshed_during_an_import_count_its_rows_once_it_is_done(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    from django.utils import timezone

    from safeward.analytics import registry
    from safeward.analytics.freshness import rollups_catch_up
    from safeward.analytics.queries import total

    registered = registry.get("cameras.registered")
    assert registered is not None
    ward, today = demo_units["province"], timezone.localdate()
    rollups_catch_up()
    before = total(registered, ward, today, today)
    case = _cameras(demo_units)
    # The periodic refresh runs while the import writes (every minute under serve).
    with _watching(rollups_catch_up):
        result = run_import(
            personas[case.actor], KINDS[case.kind].kind, "c.csv", case.content.encode()
        )
    assert result.ok, result.errors
    assert total(registered, ward, today, today) == before
    rollups_catch_up()
    assert total(registered, ward, today, today) == (before or 0) + 3


def test_settling_batches_shrink_on_a_slow_machine_and_grow_on_a_fast_one() -> None:
    from safeward.core.importjobs import BATCH_SECONDS, _Batches

    slow = _Batches(start=2_000)
    slow.took(BATCH_SECONDS * 8)  # 2,000 rows took 1.6 s: the next batch aims at 0.2 s
    assert slow.size == 250
    for _ in range(10):
        slow.took(BATCH_SECONDS * 100)
    assert slow.size == 50  # never below the smallest

    fast = _Batches(start=500)
    fast.took(BATCH_SECONDS / 10)
    assert fast.size == 1_000  # at most doubling per batch
    for _ in range(10):
        fast.took(BATCH_SECONDS / 10)
    assert fast.size == 5_000
