"""Accessibility in the browser, in Vietnamese, English and Arabic (right to left).

- axe-core (from npm, ``node_modules/axe-core``) runs on one page of every URL pattern a
  persona meets, found by following the links from their home page (as the link crawl
  does, with the browser context's own HTTP client), and on the public pages as an
  anonymous visitor; also on a phone for the public report page and a staff home. No
  violation of impact serious or critical is allowed.
- On a phone (390 x 844) every control of the key pages offers a target of at least
  44 x 44 CSS pixels (a check box or radio button counts its label); links inside
  running text are exempt, as WCAG 2.5.5 allows.
- The public report form is filled and sent with the keyboard alone, the phone menu is
  opened and followed with the keyboard, the skip link moves to the content, and every
  focused control shows a visible focus indicator.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS, ROOT, set_language, sign_in

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.e2e
LANGUAGES = ["vi", "en", "ar"]
PERSONAS = [
    "province_admin",
    "city_officer",
    "ward_officer",
    "front_member",
    "group_leader",
    "mentor",
    "analyst",
    "resident",
]
PUBLIC = ["/", "/reports/submit/", "/reports/track/", "/reports/statistics/", "/accounts/login/"]
PAGES_PER_PERSONA = 60  # pages read while looking for URL patterns
SKIP = re.compile(
    r"^/(accounts/logout|admin/|api/v1/|static/|media/)|[?&]export=|/download/|\.csv$|\.pdf$"
    r"|/upload/|/i18n/"
)
SERIOUS = ("serious", "critical")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SHOTS = Path("/work/shots/a11y")

_ = CHROMIUM_ARGS


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.links.append(found["href"] or "")


def pattern_of(path: str) -> str:
    """The URL pattern a path belongs to: numbers and codes in it become placeholders."""
    parts = []
    for part in path.split("/"):
        if re.fullmatch(r"\d+", part):
            parts.append("<n>")
        elif re.fullmatch(r"[A-Za-z]+-[\w-]*\d[\w-]*|[0-9a-f]{8,}|[\w-]{20,}", part):
            parts.append("<code>")
        else:
            parts.append(part)
    return "/".join(parts)


def discover(request: Any, base: str, start: list[str]) -> list[str]:
    """One URL (the first met) for each URL pattern reachable from ``start``."""
    chosen: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque(start)
    read = 0
    while queue and read < PAGES_PER_PERSONA:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        key = pattern_of(path)
        if key in chosen and url not in start:
            continue
        answer = request.get(base + url, max_redirects=5, fail_on_status_code=False)
        read += 1
        final = urlsplit(answer.url)
        if (
            answer.status != 200
            or final.netloc != urlsplit(base).netloc
            or "text/html" not in answer.headers.get("content-type", "")
        ):
            continue
        final_key = pattern_of(final.path)
        if final_key in chosen and url not in start:
            continue
        chosen.setdefault(final_key, final.path + (f"?{final.query}" if final.query else ""))
        parser = _Links()
        parser.feed(answer.text())
        for href in parser.links:
            target, _frag = urldefrag(urljoin(answer.url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != final.netloc:
                continue
            if parts.query:  # sorting, filtering and paging show the same page
                continue
            if SKIP.search(parts.path) or parts.path in seen:
                continue
            if pattern_of(parts.path) in chosen:
                continue
            queue.append(parts.path)
    return list(chosen.values())


def axe_violations(page: Any) -> list[str]:
    """The serious and critical axe-core violations of the page as it shows, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
            targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}) {', '.join(v['targets'])} on {page.url}"
        for v in result
        if v["impact"] in SERIOUS
    ]


def check_pages(page: Any, base: str, urls: list[str], then: Any = None) -> list[str]:
    """axe over each page in each language; ``then(page)`` acts on it first (opens a menu)."""
    found: list[str] = []
    for lang in LANGUAGES:
        set_language(page, base, lang)
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("load")
            if then:
                then(page)
            found += [f"[{lang}] {line}" for line in axe_violations(page)]
    return found


CHECKED: set[str] = (
    set()
)  # patterns already checked for another persona (their homes are not shared)
COUNTS: dict[str, int] = {}


def test_axe_finds_nothing_serious_on_the_public_pages(browser: Any, server: str) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        urls = discover(context.request, server, PUBLIC)
        CHECKED.update(pattern_of(urlsplit(u).path) for u in urls)
        found = check_pages(context.new_page(), server, urls)
    finally:
        context.close()
    COUNTS["anonymous"] = len(urls)
    print(f"axe: anonymous: {len(urls)} pages x {len(LANGUAGES)} languages")
    assert len(urls) >= len(PUBLIC)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("persona", PERSONAS)
def test_axe_finds_nothing_serious_on_a_personas_pages(
    signed_in: Any, server: str, persona: str
) -> None:
    page = signed_in(persona)
    urls = discover(page.context.request, server, ["/home/"])
    assert urls, "the home page did not open"
    fresh = [u for u in urls if u == "/home/" or pattern_of(urlsplit(u).path) not in CHECKED]
    CHECKED.update(pattern_of(urlsplit(u).path) for u in fresh)
    COUNTS[persona] = len(fresh)
    found = check_pages(page, server, fresh)
    set_language(page, server, "vi")
    print(f"axe: {persona}: {len(fresh)} pages x {len(LANGUAGES)} languages")
    assert not found, "\n".join(found)


def test_axe_finds_nothing_serious_on_a_phone(browser: Any, server: str) -> None:
    found: list[str] = []
    anonymous = browser.new_context(locale="vi-VN", **PHONE)
    staff = browser.new_context(locale="vi-VN", **PHONE)
    try:
        pg = anonymous.new_page()
        found += check_pages(pg, server, ["/reports/submit/"])
        pg = staff.new_page()
        sign_in(pg, server, "ward_officer")
        found += check_pages(pg, server, ["/home/"], then=lambda p: p.click(".navtoggle"))
    finally:
        anonymous.close()
        staff.close()
    assert not found, "\n".join(found)


# --- touch targets ---------------------------------------------------------------------

TARGETS_JS = """() => {
  const small = [];
  const blocks = "P,LI,DD,DT,TD,TH,SMALL,SPAN,DIV,FIGCAPTION,LABEL,H1,H2,H3,LEGEND";
  function visible(el) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && !el.closest("[hidden],[aria-hidden=true]");
  }
  function inline(a) {
    // A link inside running text: its block holds words besides the link's own.
    let block = a.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    const own = a.textContent.replace(/\\s+/g, "");
    const all = block.textContent.replace(/\\s+/g, "");
    return all.length > own.length + 3;
  }
  function box(el) {
    let r = el.getBoundingClientRect();
    if (el.matches("input[type=checkbox],input[type=radio]")) {
      const label = el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]'));
      if (label) { const l = label.getBoundingClientRect(); if (l.width * l.height > r.width * r.height) r = l; }
    }
    return r;
  }
  document.querySelectorAll("a[href],button,input:not([type=hidden]),select,textarea,summary").forEach(el => {
    if (!visible(el) || el.closest(".leaflet-container,.skip")) return;
    if (el.tagName === "A" && inline(el)) return;
    const r = box(el);
    if (r.width < 43.5 || r.height < 43.5) {
      const name = (el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30);
      small.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "") +
        " '" + name + "' " + Math.round(r.width) + "x" + Math.round(r.height));
    }
  });
  return small;
}"""

KEY_PAGES_PUBLIC = ["/reports/submit/", "/reports/track/", "/accounts/login/"]
# A list with filters and a row's page, for the staff who work on them.
KEY_PAGES_STAFF = {
    "province_admin": ["/home/", "/reports/", "/audit/"],
    "ward_officer": ["/home/", "/reports/"],
    "city_officer": ["/home/"],
    "front_member": ["/home/"],
    "group_leader": ["/home/"],
    "mentor": ["/home/"],
    "analyst": ["/home/"],
}


def small_targets(page: Any, base: str, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        found += [f"{page.url}: {t}" for t in page.evaluate(TARGETS_JS)]
        # A row's page: the first row of a list.
        if url == "/reports/":
            first = page.locator("table.table tbody td a[href]").first
            if first.count():
                page.goto(base + first.get_attribute("href"))
                page.wait_for_load_state("load")
                found += [f"{page.url}: {t}" for t in page.evaluate(TARGETS_JS)]
    return found


def test_every_control_is_a_44px_target_on_a_phone(browser: Any, server: str) -> None:
    found: list[str] = []
    context = browser.new_context(locale="vi-VN", **PHONE)
    try:
        page = context.new_page()
        for lang in ("vi", "ar"):
            set_language(page, server, lang)
            found += small_targets(page, server, KEY_PAGES_PUBLIC)
    finally:
        context.close()
    for persona, urls in KEY_PAGES_STAFF.items():
        context = browser.new_context(locale="vi-VN", **PHONE)
        try:
            page = context.new_page()
            sign_in(page, server, persona)
            found += small_targets(page, server, urls)
            page.click(".navtoggle")
            found += [f"{page.url} (menu open): {t}" for t in page.evaluate(TARGETS_JS)]
        finally:
            context.close()
    assert not found, "\n".join(sorted(set(found)))


# --- keyboard --------------------------------------------------------------------------

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
  return {id: el.id, tag: el.tagName.toLowerCase(), name: el.getAttribute("name") || "",
          cls: String(el.className || ""), text: (el.textContent || "").trim().slice(0, 30), ring: ring,
          inMain: !!el.closest("main")};
}"""


class Keyboard:
    """Moves through a page with Tab alone, noting every focused control without a focus ring."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.unringed: list[str] = []

    def focused(self) -> dict[str, Any] | None:
        now: dict[str, Any] | None = self.page.evaluate(FOCUS_JS)
        if now and not now["ring"]:
            self.unringed.append(
                f"{self.page.url}: {now['tag']}#{now['id']}.{now['cls']} {now['text']}"
            )
        return now

    def tab_to(self, test: str, limit: int = 60, back: bool = False) -> dict[str, Any]:
        """Press Tab (Shift+Tab with ``back``) until the focused element passes the JS test."""
        for _step in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            now = self.focused()
            if now and self.page.evaluate(f"(el => {test})(document.activeElement)"):
                return now
        raise AssertionError(f"Tab never reached {test} on {self.page.url}")


def test_the_report_form_is_sent_with_the_keyboard_alone(browser: Any, server: str) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        set_language(page, server, "en")
        page.goto(server + "/reports/submit/")
        page.wait_for_load_state("load")
        keys = Keyboard(page)
        # The skip link comes first and moves on to the content.
        keys.tab_to("el.classList.contains('skip')", limit=2)
        page.keyboard.press("Enter")
        after = keys.tab_to("true", limit=1)
        assert after["inMain"], f"after the skip link the focus is on {after}"
        keys.tab_to("el.id === 'id_category'")
        with page.expect_response(
            lambda r: "/reports/submit/questions/" in r.url
        ):  # the category's own questions
            page.keyboard.press("ArrowDown")
        page.wait_for_load_state("networkidle")
        assert page.eval_on_selector("#id_category", "el => el.value") != ""
        for attribute in page.eval_on_selector_all(
            "#attribute-fields select", "els => els.map(e => e.id)"
        ):
            keys.tab_to(f"el.id === '{attribute}'")
            page.keyboard.press("ArrowDown")
        keys.tab_to("el.id === 'id_description'")
        page.keyboard.type("Two strangers forced a motorbike lock in front of house 12")
        # The map is passed over with Tab (it holds no focus); the ward is found by its name.
        keys.tab_to("el.classList.contains('select-search')")
        page.keyboard.type("cua ong")
        keys.tab_to("el.id === 'id_unit'", limit=2)
        page.keyboard.press("ArrowDown")
        chosen = page.eval_on_selector("#id_unit", "el => el.options[el.selectedIndex].text")
        assert "Cửa Ông" in chosen, chosen
        # Back up to the description with Shift+Tab to check it kept the text, then on.
        keys.tab_to("el.id === 'id_description'", back=True)
        assert "motorbike" in page.eval_on_selector("#id_description", "el => el.value")
        keys.tab_to("el.id === 'id_anonymous'")
        page.keyboard.press("Space")
        page.keyboard.press("Space")
        assert page.eval_on_selector("#id_anonymous", "el => el.checked")
        keys.tab_to("el.type === 'submit' && el.classList.contains('primary')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        errors = page.locator(".has-error, .errorbox").all_inner_texts()
        assert page.locator("#tracking-secret").count() == 1, errors
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "keyboard-report-sent-en.png"))
        assert not keys.unringed, "focused without a visible indicator:\n" + "\n".join(
            keys.unringed
        )
    finally:
        context.close()


def test_the_phone_menu_opens_and_is_followed_with_the_keyboard(browser: Any, server: str) -> None:
    context = browser.new_context(locale="vi-VN", **PHONE)
    try:
        page = context.new_page()
        sign_in(page, server, "ward_officer")
        page.goto(server + "/home/")
        page.wait_for_load_state("load")
        keys = Keyboard(page)
        keys.tab_to("el.classList.contains('navtoggle')")
        page.keyboard.press("Enter")
        assert page.get_attribute(".navtoggle", "aria-expanded") == "true"
        assert page.is_visible("#navlist")
        target = keys.tab_to("el.tagName === 'A' && !!el.closest('#navlist')")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(href), (page.url, href, target)
        # Escape closes the drawer again.
        keys.tab_to("el.classList.contains('navtoggle')", back=True)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        assert page.get_attribute(".navtoggle", "aria-expanded") == "false"
        assert not keys.unringed, "focused without a visible indicator:\n" + "\n".join(
            keys.unringed
        )
    finally:
        context.close()
