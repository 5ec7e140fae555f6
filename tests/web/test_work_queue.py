"""The home page's work queue, the menu's counts of what waits, and the approvers' email.

Rows are made through the services in Cửa Ông (the ward officer's and the Front member's
ward) and one in Bãi Cháy (the other ward officer's).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeward.accounts.models import Role, User
from safeward.accounts.roles import FRONT_MEMBER
from safeward.accounts.services import role_assign
from safeward.cameras.models import Camera
from safeward.evidence import services as evidence
from safeward.evidence.models import FootageRequest
from safeward.reports.models import Report
from safeward.reports.services import (
    ReporterInfo,
    category_by_code,
    report_assign,
    report_message_reporter,
    report_message_staff,
    report_submit,
    report_triage,
)
from safeward.web.workqueue import work_queue
from tests.cameras.factories import make_camera
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
BUDGETS = Path(__file__).resolve().parent.parent / "query_counts.json"
CUA_ONG = "cam_thinh_khu1_2025"


@pytest.fixture(autouse=True)
def fresh_counts(settings: Any, tmp_path: Any) -> None:
    """The menu's counts are kept per user in the cache: no test reads another's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()


def _submit(units: dict[str, Any], key: str = CUA_ONG, **kw: Any) -> Any:
    unit = units[key]
    if key == CUA_ONG:  # at a point, so that cameras nearby may be asked
        kw.update(latitude=unit.centroid_lat, longitude=unit.centroid_lon)
    else:
        kw.update(unit=unit)
    return report_submit(
        None,
        category=category_by_code("theft"),
        description="Mất xe máy trước cửa nhà",
        channel="web",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        **kw,
    )


def _camera(personas: dict[str, Any], units: dict[str, Any], report: Report) -> Camera:
    return make_camera(
        personas["ward_officer"],
        units["cam_thinh_khu1"],
        latitude=report.latitude,
        longitude=report.longitude + 0.0002,
        fov=360,
        range_m=60,
        custodian_user=personas["resident"],
    )


def _footage(personas: dict[str, Any], report: Report, camera: Camera) -> FootageRequest:
    start = report.occurred_at - dt.timedelta(minutes=30)
    return evidence.footage_request_create(
        personas["ward_officer"],
        report=report,
        purpose="Xác minh vụ mất xe máy",
        window_start=start,
        window_end=start + dt.timedelta(hours=1),
        radius_m=200,
        cameras=[camera],
    )


@dataclass
class Queue:
    new: Report
    mine: Report
    overdue: Report
    due_soon: Report
    message: Report
    pending: FootageRequest
    sent: FootageRequest
    bai_chay: Report

    def cua_ong_codes(self) -> set[str]:
        reports = [self.new, self.mine, self.overdue, self.due_soon, self.message]
        return {r.tracking_code for r in reports} | {str(self.pending), str(self.sent)}


@pytest.fixture
def queue(personas: dict[str, Any], demo_units: dict[str, Any]) -> Queue:
    officer, today = personas["ward_officer"], timezone.localdate()
    new = _submit(demo_units).report
    mine = report_assign(officer, _submit(demo_units).report, assignee=officer)
    overdue = report_triage(officer, _submit(demo_units).report)
    due_soon = report_triage(officer, _submit(demo_units).report)
    # Clocks that ran out, or run out tomorrow, without waiting for the days to pass.
    Report.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=2))
    Report.objects.filter(pk=due_soon.pk).update(due_on=today + dt.timedelta(days=1))
    asked = _submit(demo_units, reporter=ReporterInfo(name="Chị Lan", phone="0912345678"))
    message = report_triage(officer, asked.report)
    report_message_staff(officer, message, body="Chị cho biết thêm biển số xe?")
    report_message_reporter(message, secret=asked.secret, body="Biển số 14B1-23456")
    camera = _camera(personas, demo_units, new)
    pending = _footage(personas, overdue, camera)
    sent = _footage(personas, due_soon, camera)
    evidence.footage_request_approve(personas["front_member"], sent)
    bai_chay = _submit(demo_units, "bai_chay_khu").report
    return Queue(
        new=new,
        mine=mine,
        overdue=Report.objects.get(pk=overdue.pk),
        due_soon=Report.objects.get(pk=due_soon.pk),
        message=message,
        pending=pending,
        sent=sent,
        bai_chay=bai_chay,
    )


def _sections(user: User) -> dict[str, list[Any]]:
    return {entry["section"].key: entry["rows"] for entry in work_queue(user, limit=50)}


def _pks(rows: list[Any]) -> set[int]:
    return {row.pk for row in rows}


def test_the_ward_officer_sees_what_the_police_handle(
    personas: dict[str, Any], queue: Queue
) -> None:
    sections = _sections(personas["ward_officer"])
    # Ward police do not approve footage requests: that section is not theirs.
    assert set(sections) == {
        "reports_new",
        "reports_mine",
        "reports_overdue",
        "reports_due_soon",
        "reports_reply",
        "footage_undelivered",
    }
    assert _pks(sections["reports_new"]) == {queue.new.pk}
    assert _pks(sections["reports_mine"]) == {queue.mine.pk}
    assert _pks(sections["reports_overdue"]) == {queue.overdue.pk}
    assert _pks(sections["reports_due_soon"]) == {queue.due_soon.pk}
    assert _pks(sections["reports_reply"]) == {queue.message.pk}
    assert _pks(sections["footage_undelivered"]) == {queue.sent.pk}


def test_the_front_member_sees_new_reports_and_the_approvals_they_may_give(
    personas: dict[str, Any], queue: Queue
) -> None:
    sections = _sections(personas["front_member"])
    assert set(sections) == {"reports_new", "footage_approvals"}
    assert _pks(sections["reports_new"]) == {queue.new.pk}
    # The approved one is decided; the pending one still waits for a second person.
    assert _pks(sections["footage_approvals"]) == {queue.pending.pk}


def test_a_decided_request_leaves_the_approvers_queue(
    personas: dict[str, Any], queue: Queue
) -> None:
    evidence.footage_request_reject(personas["front_member"], queue.pending, note="Không cần")
    assert _sections(personas["front_member"])["footage_approvals"] == []


def test_the_province_admin_sees_every_section_across_the_province(
    personas: dict[str, Any], queue: Queue
) -> None:
    sections = _sections(personas["province_admin"])
    assert len(sections) == 7
    assert _pks(sections["reports_new"]) == {queue.new.pk, queue.bai_chay.pk}
    assert _pks(sections["footage_approvals"]) == {queue.pending.pk}
    assert _pks(sections["footage_undelivered"]) == {queue.sent.pk}
    assert sections["reports_mine"] == []  # nothing is assigned to the admin


def test_an_officer_of_another_ward_sees_none_of_cua_ongs_rows(
    personas: dict[str, Any], queue: Queue
) -> None:
    sections = _sections(personas["other_ward_officer"])
    assert _pks(sections["reports_new"]) == {queue.bai_chay.pk}
    assert all(rows == [] for key, rows in sections.items() if key != "reports_new")
    page = signed_in_client(personas["other_ward_officer"]).get("/home/").content.decode()
    assert queue.bai_chay.tracking_code in page
    assert not any(code in page for code in queue.cua_ong_codes())


def test_the_home_page_lists_each_section_with_its_count_and_full_list(
    personas: dict[str, Any], queue: Queue
) -> None:
    client = signed_in_client(personas["ward_officer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/home/").content.decode()
    assert "Waiting for you" in page
    assert f'href="/reports/{queue.new.pk}/"' in page
    assert f'href="/reports/{queue.message.pk}/#staff-messages"' in page
    assert f'href="/evidence/requests/{queue.sent.pk}/"' in page
    assert 'href="/reports/?overdue=1"' in page
    assert 'href="/reports/?awaiting_reply=1"' in page
    assert 'href="/evidence/requests/?undelivered=1"' in page
    assert 'id="work-reports_new" data-count="1"' in page
    assert "Footage requests awaiting your approval" not in page


def test_a_long_section_shows_its_first_rows_and_links_to_all(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    for _ in range(8):
        _submit(demo_units)
    client = signed_in_client(personas["front_member"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/home/").content.decode()
    section = page.split('id="work-reports_new"')[1].split("</article>")[0]
    assert 'data-count="8"' in section
    assert section.count("<li>") == 6
    assert "See all 8" in section and 'href="/reports/?status=received"' in section


def test_empty_sections_say_nothing_waits(personas: dict[str, Any]) -> None:
    client = signed_in_client(personas["ward_officer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/home/").content.decode()
    assert "No new report waits for triage." in page
    assert "No open report is assigned to you." in page
    assert "Every reporter&#x27;s message has an answer." in page
    assert 'class="navcount"' not in page


def test_who_may_not_handle_reports_gets_no_queue(personas: dict[str, Any]) -> None:
    client = signed_in_client(personas["resident"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/home/").content.decode()
    assert "Waiting for you" not in page


def test_the_list_pages_filter_what_the_queue_links_to(
    personas: dict[str, Any], queue: Queue
) -> None:
    officer = signed_in_client(personas["ward_officer"])
    listed = officer.get("/reports/", {"awaiting_reply": "1"}).context["table"]
    assert [row.record.pk for row in listed.page.object_list] == [queue.message.pk]
    front = signed_in_client(personas["front_member"])
    listed = front.get("/evidence/requests/", {"awaiting_me": "1"}).context["table"]
    assert [row.record.pk for row in listed.page.object_list] == [queue.pending.pk]
    listed = officer.get("/evidence/requests/", {"undelivered": "1"}).context["table"]
    assert [row.record.pk for row in listed.page.object_list] == [queue.sent.pk]


def test_the_menu_counts_what_waits_on_every_page(personas: dict[str, Any], queue: Queue) -> None:
    client = signed_in_client(personas["ward_officer"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/units/")
    counting = [
        q for q in queries if "SELECT COUNT(*) FROM (" in q["sql"] and "accounts_user" in q["sql"]
    ]
    assert len(counting) == 1  # every section of the menu in one query
    entries = {entry.get("url"): entry for entry in _flat(page.context["nav_items"])}
    # New, assigned to the officer, and awaiting a reply; the deadlines are not counted
    # again (those reports are the officer's or the ward's already).
    assert entries["/reports/"]["count"] == 3
    assert entries["/evidence/requests/"]["count"] == 1
    assert page.context["nav_waiting"] == 4
    assert 'class="navcount"' in page.content.decode()


def test_the_menu_counts_are_kept_for_a_short_while(
    personas: dict[str, Any], queue: Queue, demo_units: dict[str, Any]
) -> None:
    client = signed_in_client(personas["front_member"])
    client.get("/units/")
    _submit(demo_units)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/units/")
    assert _count(page, "/reports/") == 1  # as counted a moment ago
    assert not any("COUNT(" in q["sql"] and "reports_report" in q["sql"] for q in queries)
    assert _count(client.get("/home/"), "/reports/") == 2  # the home page counts afresh
    assert _count(client.get("/units/"), "/evidence/requests/") == 1
    # Acting on what waited counts again at once.
    client.post(f"/evidence/requests/{queue.pending.pk}/approve/", {"note": ""})
    assert FootageRequest.objects.get(pk=queue.pending.pk).status == "approved"
    assert _count(client.get("/units/"), "/evidence/requests/") == 0


def _flat(nav: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [link for entry in nav for link in entry.get("links", [entry])]


def _count(page: Any, url: str) -> int:
    return next(e["count"] for e in _flat(page.context["nav_items"]) if e["url"] == url)


def _home_queries(user: User) -> int:
    client = signed_in_client(user)
    client.get("/home/")  # warm the session and the scope cache, as a second page is
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/home/")
    assert response.status_code == 200 and 'id="workqueue-title"' in response.content.decode()
    return len(queries)


def test_the_home_page_stays_within_its_query_budget_whatever_the_rows(
    personas: dict[str, Any], demo_units: dict[str, Any], queue: Queue
) -> None:
    admin = personas["province_admin"]
    few = _home_queries(admin)
    for _ in range(12):
        report_assign(admin, _submit(demo_units).report, assignee=admin)
    many = _home_queries(admin)
    assert few == many
    budget = json.loads(BUDGETS.read_text())["web:home"]
    assert many <= budget, f"web:home: {many} queries, budget {budget}"


def test_approvers_in_the_requests_ward_are_emailed(
    personas: dict[str, Any],
    demo_units: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # A Front member of another ward may approve there, not here.
    elsewhere = User.objects.create_user("front_bai_chay", email="front.bc@demo.safeward.vn")
    role_assign(
        personas["province_admin"],
        user=elsewhere,
        role=Role.objects.get(code=FRONT_MEMBER),
        unit=demo_units["bai_chay"],
    )
    report = _submit(demo_units).report
    camera = _camera(personas, demo_units, report)
    with django_capture_on_commit_callbacks(execute=True):
        footage = _footage(personas, report, camera)
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted(
        personas[name].email for name in ("city_officer", "front_member", "province_admin")
    )
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others
    body = mail.outbox[0].body
    assert f"/evidence/requests/{footage.pk}/" in body and report.tracking_code in body
    assert footage.purpose not in body  # the purpose stays behind sign-in


def test_no_email_once_the_request_was_decided(
    personas: dict[str, Any], demo_units: dict[str, Any], settings: Any
) -> None:
    from safeward.evidence.tasks import notify_approvers

    report = _submit(demo_units).report
    footage = _footage(personas, report, _camera(personas, demo_units, report))
    evidence.footage_request_reject(personas["front_member"], footage, note="Không cần")
    assert notify_approvers.call(footage.pk) == 0
    assert mail.outbox == []


def test_a_request_needing_two_approvals_waits_for_the_second_approver(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    report = _submit(demo_units).report
    start = report.occurred_at - dt.timedelta(hours=2)
    footage = evidence.footage_request_create(
        personas["ward_officer"],
        report=report,
        purpose="Xác minh vụ mất xe máy",
        window_start=start,
        window_end=start + dt.timedelta(hours=3),  # past the cap: two approvals
        radius_m=200,
        cameras=[_camera(personas, demo_units, report)],
    )
    assert footage.approvals_needed == 2
    evidence.footage_request_approve(personas["front_member"], footage)
    assert _sections(personas["front_member"])["footage_approvals"] == []
    assert _pks(_sections(personas["city_officer"])["footage_approvals"]) == {footage.pk}
