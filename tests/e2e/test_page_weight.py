"""Page weight as a browser on a phone's data plan meets it: bytes transferred, first and repeat.

Budgets: a resident's report page under 150 KB on first load and under 30 KB on a
repeat visit (static files come from the browser's cache: hashed names, a year's
caching); a dashboard under 300 KB. Bytes are what crossed the network (compressed
bodies and headers), as Chromium reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

KB = 1024


def _measure(page: Any, url: str) -> tuple[int, list[tuple[str, int]]]:
    seen: list[Any] = []

    def done(request: Any) -> None:
        seen.append(request)

    page.on("requestfinished", done)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("requestfinished", done)
    rows = []
    for request in seen:
        sizes = request.sizes()
        rows.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))
    return sum(size for _url, size in rows), rows


def _report(label: str, total: int, rows: list[tuple[str, int]]) -> str:
    lines = [f"{label}: {total / KB:.1f} KB in {len(rows)} responses"]
    lines += [f"  {size / KB:7.1f} KB {url}" for url, size in sorted(rows, key=lambda r: -r[1])[:8]]
    return "\n".join(lines)


def test_resident_report_page_is_light_first_and_repeat(browser: Any, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 412, "height": 915}, is_mobile=True, locale="vi-VN"
    )
    page = context.new_page()
    first, rows = _measure(page, server + "/reports/submit/")
    print(_report("first", first, rows))
    assert page.locator("form").count() >= 1  # the real form, not an error page
    assert any("/static/" in url and url.rsplit(".", 2)[-2].isalnum() for url, _size in rows)
    assert first < 150 * KB, _report("first", first, rows)
    repeat, rows = _measure(page, server + "/reports/submit/")
    print(_report("repeat", repeat, rows))
    assert repeat < 30 * KB, _report("repeat", repeat, rows)
    context.close()


def test_static_files_are_compressed_and_cached_for_a_year(browser: Any, server: str) -> None:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    responses: list[Any] = []

    def seen(response: Any) -> None:
        responses.append(response)

    page.on("response", seen)
    page.goto(server + "/reports/submit/", wait_until="networkidle")
    css = next(r for r in responses if r.url.endswith(".css") and "/static/" in r.url)
    headers = css.all_headers()
    assert headers.get("content-encoding") in {"br", "gzip"}, headers
    assert "max-age=315360000" in headers.get("cache-control", "") or "immutable" in headers.get(
        "cache-control", ""
    ), headers
    context.close()


def test_dashboard_is_under_its_budget(signed_in: Callable[..., Any], server: str) -> None:
    page = signed_in("province_admin")
    page.goto(server + "/home/")  # a signed-in page first, so the dashboard's own weight counts
    fresh = page.context.browser.new_context(
        storage_state=page.context.storage_state(), viewport={"width": 1280, "height": 900}
    )
    dash = fresh.new_page()
    total, rows = _measure(dash, server + "/analytics/")
    print(_report("dashboard", total, rows))
    assert dash.locator("h1").count() == 1 and "/accounts/" not in dash.url
    assert total < 300 * KB, _report("dashboard", total, rows)
    fresh.close()
