"""The home page's work queue as the ward officer and the Front member, on desk and phone, in
Vietnamese, English and Arabic: the sections show with their rows and counts, the menu
carries the count of what waits (on phones on the Menu button and in the drawer), and
nothing spills past the screen's edge.

Screenshots land in ``var/screenshots/queue-<persona>-<lang>-<size>.png`` (and
``-menu`` for the phone's open drawer).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import set_language, shot

pytestmark = pytest.mark.e2e

# What each persona's queue holds: the police handle reports and footage, the Front
# member follows new reports and approves footage requests.
SECTIONS = {
    "ward_officer": {"reports_new", "reports_mine", "reports_overdue", "reports_reply"},
    "front_member": {"reports_new", "footage_approvals"},
}
ABSENT = {"ward_officer": "footage_approvals", "front_member": "reports_mine"}


@pytest.mark.parametrize("lang", ["vi", "en", "ar"])
@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("persona", ["ward_officer", "front_member"])
def test_the_home_page_shows_what_waits(
    signed_in: Any, server: str, persona: str, size: str, lang: str
) -> None:
    page = signed_in(persona, phone=size == "phone")
    set_language(page, server, lang)
    page.goto(server + "/home/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    shown = set(page.eval_on_selector_all(".workqueue article", "els => els.map(e => e.id)"))
    assert {f"work-{key}" for key in SECTIONS[persona]} <= shown
    assert f"work-{ABSENT[persona]}" not in shown
    assert page.locator(".workqueue .worklist li").count() >= 1
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
        assert page.locator("#navlist .navcount").first.is_visible()
