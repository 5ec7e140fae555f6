"""Every link a persona meets leads somewhere: starting from their home page on the full
demo, each page's links, images, scripts and style sheets are followed (same site only)
and none answers 404 or a server error.

The crawl signs in through the real form in Chromium, then reads pages with the browser
context's own HTTP client (same cookies, no rendering) to keep to a time budget: at most
``PAGES`` pages per persona and ``VARIANTS`` query strings per path (sorting and paging
links repeat the same page).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.e2e.conftest import set_language

PAGES = 160
VARIANTS = 2
SKIP = re.compile(
    r"^/(accounts/logout|admin/|api/v1/|static/|media/)|[?&]export=|/download/|\.csv$|\.pdf$|/upload/"
)
STAFF = ["ward_officer", "front_member", "group_leader", "city_officer", "province_admin"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.pages.append(found["href"] or "")
        elif tag in ("img", "script") and found.get("src"):
            self.assets.append(found["src"] or "")
        elif tag == "link" and found.get("href"):
            self.assets.append(found["href"] or "")


def _crawl(request: Any, base: str, start: list[str], least: int = 20) -> dict[str, list[str]]:
    """The broken targets (status and target) with the pages that link to them."""
    broken: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    variants: dict[str, int] = defaultdict(int)
    checked_assets: dict[str, int] = {}
    queue = deque((url, "(start)") for url in start)
    pages = 0
    while queue and pages < PAGES:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        answer = request.get(base + url, max_redirects=5, fail_on_status_code=False)
        pages += 1
        if answer.status == 404 or answer.status >= 500:
            broken[f"{answer.status} {url}"].append(referrer)
            continue
        final = urlsplit(answer.url)
        if final.netloc != urlsplit(base).netloc or "text/html" not in answer.headers.get(
            "content-type", ""
        ):
            continue
        parser = _Links()
        parser.feed(answer.text())
        for asset in parser.assets:
            target = urljoin(answer.url, asset)
            if urlsplit(target).netloc != final.netloc or target in checked_assets:
                continue
            status = request.head(target, fail_on_status_code=False).status
            checked_assets[target] = status
            if status == 404 or status >= 500:
                broken[f"{status} {urlsplit(target).path}"].append(url)
        for href in parser.pages:
            target, _frag = urldefrag(urljoin(answer.url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != final.netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(local) or local in seen:
                continue
            if parts.query:
                if variants[parts.path] >= VARIANTS:
                    continue
                variants[parts.path] += 1
            queue.append((local, url))
    assert pages >= least, f"the crawl reached only {pages} pages"
    return dict(broken)


@pytest.mark.parametrize("persona", STAFF)
def test_no_link_a_staff_member_meets_is_dead(signed_in: Any, server: str, persona: str) -> None:
    page = signed_in(persona)
    set_language(page, server, "en")
    broken = _crawl(page.context.request, server, ["/home/"])
    assert not broken, "\n".join(f"{k} <- {v[:3]}" for k, v in sorted(broken.items()))


def test_no_link_of_the_public_pages_is_dead(browser: Any, server: str) -> None:
    context = browser.new_context(locale="vi-VN")
    try:
        start = ["/", "/reports/submit/", "/reports/track/", "/reports/statistics/"]
        broken = _crawl(context.request, server, start, least=len(start))
    finally:
        context.close()
    assert not broken, "\n".join(f"{k} <- {v[:3]}" for k, v in sorted(broken.items()))
