"""What waits for a user: apps register work sections; the home page lists them, the menu counts them.

A section is a scoped, ordered queryset of rows a user should act on (new reports in
their units, requests awaiting their approval, ...), shown only to users holding its
permission somewhere. The home page shows each section's first rows, its count and a
link to the full filtered list; the menu entry named by ``nav`` carries a badge with
the counts of its sections, kept per user for ``COUNT_SECONDS`` so that ordinary pages
do not count again (and dropped as soon as the user acts: see :class:`ForgetAfterActingMiddleware`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, IntegerField, QuerySet, Subquery, Window
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise

from safeward.core.scoping import has_perm_anywhere

ROWS_SHOWN = 6
COUNT_SECONDS = 30
CACHE_KEY = "safeward:waiting:{user}"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: Promise
    permission: str
    rows: Callable[[Any], QuerySet[Any]]  # the user's rows, scoped and in the order shown
    url_name: str  # the full list
    query: str  # the list's filters for these rows
    row_template: str
    empty: Promise
    nav: str = ""  # the menu entry (its url name) whose badge counts these rows
    order: int = 100

    @property
    def list_url(self) -> str:
        return f"{reverse(self.url_name)}?{self.query}"


_sections: list[WorkSection] = []


def register_work_section(*sections: WorkSection) -> None:
    for section in sections:
        if section not in _sections:
            _sections.append(section)


def sections_for(user: Any) -> list[WorkSection]:
    """The sections ``user`` may see, in page order."""
    return [
        s for s in sorted(_sections, key=lambda s: s.order) if has_perm_anywhere(user, s.permission)
    ]


def work_queue(user: Any, limit: int = ROWS_SHOWN) -> list[dict[str, Any]]:
    """Each of the user's sections with its count and first rows, one query a section (the
    count is a window over the rows before the limit), those with rows first; the counts
    are kept for the menu."""
    queue: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for section in sections_for(user):
        rows = list(section.rows(user).annotate(work_total=Window(Count("pk")))[:limit])
        counts[section.key] = rows[0].work_total if rows else 0
        queue.append({"section": section, "count": counts[section.key], "rows": rows})
    _keep_counts(user, counts)
    return sorted(queue, key=lambda entry: not entry["count"])  # what waits first


def waiting_counts(user: Any) -> dict[str, int]:
    """Rows waiting for ``user`` per menu entry (url name): from this request, else from the
    short per-user cache, else counted (in one query)."""
    memo: dict[str, int] | None = getattr(user, "_safeward_waiting", None)
    if memo is not None:
        return memo
    counts: dict[str, int] | None = cache.get(CACHE_KEY.format(user=user.pk))
    if counts is None:
        counts = count_sections(user, [s for s in sections_for(user) if s.nav])
        _keep_counts(user, counts)
    return _by_nav(user, counts)


class _Count(Subquery):
    """How many rows a queryset holds, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def count_sections(user: Any, sections: list[WorkSection]) -> dict[str, int]:
    """The sections' counts in one query (a scalar subquery each, read off the user's row)."""
    if not sections:
        return {}
    counts = {s.key: _Count(s.rows(user).order_by().values("pk")) for s in sections}
    row = get_user_model().objects.filter(pk=user.pk).values(**counts).first() or {}
    return {key: int(row.get(key) or 0) for key in counts}


def forget_waiting(user_id: int | None) -> None:
    """Count again on the user's next page."""
    if user_id is not None:
        cache.delete(CACHE_KEY.format(user=user_id))


class ForgetAfterActingMiddleware:
    """Whoever just acted (triaged, answered, approved: every write is a POST) sees their
    counts follow on the very next page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user is not None and user.is_authenticated:
            forget_waiting(user.pk)
        return response


def _keep_counts(user: Any, counts: dict[str, int]) -> None:
    cache.set(CACHE_KEY.format(user=user.pk), counts, COUNT_SECONDS)
    _by_nav(user, counts)


def _by_nav(user: Any, counts: dict[str, int]) -> dict[str, int]:
    badges: dict[str, int] = {}
    for section in _sections:
        if section.nav and section.key in counts:
            badges[section.nav] = badges.get(section.nav, 0) + counts[section.key]
    setattr(user, "_safeward_waiting", badges)  # noqa: B010  (not a model field)
    return badges
