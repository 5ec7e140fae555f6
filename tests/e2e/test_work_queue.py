"""The home page's work queue as the ward officer and the Front member, on desk and phone, in
Vietnamese, English and Arabic: the sections show with their rows and counts, the menu
carries the count of what waits (on phones on the Menu button and in the drawer), and
nothing spills past the screen's edge.

Screenshots land in ``var/screenshots/queue-<persona>-<lang>-<size>.png`` (and
``-menu`` with the menu open: the phone's drawer, the desk's section of counted entries).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import manage, set_language, shot

pytestmark = pytest.mark.e2e

# What each persona's queue holds: the police handle reports and footage, the Front
# member follows new reports and approves footage requests.
SECTIONS = {
    "ward_officer": {"reports_new", "reports_mine", "reports_reply", "footage_undelivered"},
    "front_member": {"reports_new", "footage_approvals"},
}
ABSENT = {"ward_officer": "footage_approvals", "front_member": "reports_mine"}

# The demo's requests are all decided and its reporters answered: one more request for
# the Front member to approve (the cameras of a sent one, still keeping their footage)
# and a reporter's question for the officer, through the services.
WAITING_ROWS = """
import datetime as dt
from safeward.accounts.models import User
from safeward.evidence.services import footage_request_create
from safeward.evidence.models import FootageRequest
from safeward.reports.models import Report
from safeward.reports.services.workflow import report_message_as_proven_reporter
officer = User.objects.get(username="ward_officer")
sent = FootageRequest.objects.filter(status="approved", ward__name="Phường Cửa Ông").first()
start = sent.report.occurred_at - dt.timedelta(minutes=20)
footage_request_create(
    officer, report=sent.report, purpose="Xác minh thêm", radius_m=sent.radius_m,
    window_start=start, window_end=start + dt.timedelta(minutes=40),
    cameras=[t.camera for t in sent.targets.all()],
)
asked = Report.objects.filter(ward__name="Phường Cửa Ông", status="assigned").first()
report_message_as_proven_reporter(asked, body="Tôi có thể bổ sung ảnh chụp không?")
"""


@pytest.fixture(scope="module")
def waiting_rows(server: str) -> None:
    manage("shell", "-c", WAITING_ROWS)


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("persona", ["ward_officer", "front_member"])
def test_the_home_page_shows_what_waits(
    signed_in: Any, server: str, waiting_rows: None, persona: str, size: str, lang: str
) -> None:
    page = signed_in(persona, phone=size == "phone")
    set_language(page, server, lang)
    page.goto(server + "/home/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    shown = set(page.eval_on_selector_all(".workqueue article", "els => els.map(e => e.id)"))
    assert {f"work-{key}" for key in SECTIONS[persona]} <= shown
    assert f"work-{ABSENT[persona]}" not in shown
    for key in SECTIONS[persona]:
        assert page.locator(f"#work-{key} .worklist li").count() >= 1, key
    waiting = sum(
        int(n)
        for n in page.eval_on_selector_all(
            ".workqueue article", "els => els.map(e => e.dataset.count)"
        )
    )
    assert waiting >= 1
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, (persona, lang, size, overflow)
    shot(page, f"queue-{persona}-{lang}-{size}")
    if size == "phone":
        toggle = page.locator(".navtoggle")
        assert toggle.locator(".navcount").count() == 1
        toggle.click()
        assert page.locator("#navlist .navcount").first.is_visible()
        shot(page, f"queue-{persona}-{lang}-{size}-menu", full_page=False)
        toggle.click()
    else:
        group = page.locator(".navgroup summary", has=page.locator(".navcount"))
        group.first.click()
        entries = page.locator(".navgroup details[open] li .navcount")
        assert entries.count() >= 1 and entries.first.is_visible()
        shot(page, f"queue-{persona}-{lang}-{size}-menu", full_page=False)
        group.first.click()
