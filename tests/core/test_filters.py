"""The shared list filters: every list rejects bad values with a 400 naming the parameter,
and a unit filter covers the units the ward was formed from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from django_filters import CharFilter
from rest_framework.test import APIClient

from safeward.config.urls import api_patterns
from safeward.core.filters import ScopedFilterSet

GARBAGE = ["abc", "null", "²", "1" * 30, "-1", "2026-02-30"]


def api_lists() -> list[tuple[str, type[ScopedFilterSet]]]:
    """(list URL, filter set) of every router-registered viewset that declares filters."""
    found = []
    for pattern in api_patterns:
        router = getattr(pattern.urlconf_module, "router", None)
        for prefix, viewset, _basename in router.registry if router else []:
            filterset = getattr(viewset, "filterset_class", None)
            if filterset is not None:
                found.append((f"/api/v1/{prefix}/", filterset))
    return found


def page_lists() -> list[tuple[str, type[ScopedFilterSet]]]:
    """(URL, filter set) of every page view marked with ``lists``."""
    found: list[tuple[str, type[ScopedFilterSet]]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and hasattr(p.callback, "filterset_class"):
                found.append((reverse(f"{namespace}{p.name}"), p.callback.filterset_class))

    walk(get_resolver().url_patterns, "")
    return found


def checked(filterset: type[ScopedFilterSet]) -> list[str]:
    """Parameters that must reject every garbage value with a 400. Free text accepts any text,
    and a lookup by code (``to_field_name``) reads any text as a code: one naming nothing
    answers 404 in the API, like an id out of sight."""
    return [
        name
        for name, f in filterset.base_filters.items()
        if not isinstance(f, CharFilter) and not f.extra.get("to_field_name")
    ]


API_CASES = [(url, name) for url, fs in api_lists() for name in checked(fs)]
PAGE_CASES = [(url, name) for url, fs in page_lists() for name in checked(fs)]


def test_every_filtered_list_is_walked() -> None:
    urls = {url for url, _name in API_CASES} | {url for url, _name in PAGE_CASES}
    assert {"/api/v1/units/", "/api/v1/reports/", "/api/v1/cameras/", "/api/v1/groups/"} <= urls
    assert {"/reports/", "/reports/map/data/", "/cameras/", "/community/groups/"} <= urls


@pytest.mark.parametrize(("url", "name"), API_CASES)
def test_api_list_answers_a_bad_filter_value_with_a_400_naming_it(
    personas: dict[str, Any], url: str, name: str
) -> None:
    client = APIClient()
    client.force_authenticate(personas["province_admin"])
    for value in GARBAGE:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name, value, response.content[:300])
        body = response.json()
        assert body["errors"][name] and name in body["detail"], (url, name, value, body)


@pytest.mark.parametrize(("url", "name"), PAGE_CASES)
def test_page_list_answers_a_bad_filter_value_with_a_400_showing_the_error(
    client_for: Any, url: str, name: str
) -> None:
    client = client_for("province_admin")
    for value in GARBAGE:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name, value)
        if response["Content-Type"].startswith("application/json"):
            assert response.json()["errors"][name], (url, name, value)
            continue
        shown = dict(response.context["filter_errors"])
        label = str(response.context["filters"].filters[name].label)
        assert escape(shown[label]) in response.content.decode(), (url, name, value)


def test_unit_the_user_cannot_see_answers_like_a_missing_one(
    client_for: Any, personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    hidden = client.get("/api/v1/groups/", {"unit": demo_units["bai_chay"].pk})
    missing = client.get("/api/v1/groups/", {"unit": 987654321})
    # A well-formed id naming nothing in sight is a 404, like any record out of sight.
    assert hidden.status_code == missing.status_code == 404, hidden.content
    assert hidden.json() == missing.json()
    assert list(hidden.json()["errors"]) == ["unit"] and hidden.json()["code"] == "not_found"


def test_start_after_end_is_a_400_on_from(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["ward_officer"])
    response = client.get("/api/v1/groups/", {"from": "2026-03-01", "to": "2026-02-01"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["from"]


def test_parent_null_on_units_is_a_400(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["province_admin"])
    response = client.get("/api/v1/units/", {"parent": "null"})
    assert response.status_code == 400 and "parent" in response.json()["errors"]


# --- lists by unit across the 2025 merger ----------------------------------------------------
@pytest.fixture
def across_merger(demo_units: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """A camera, a report and a group under the pre-2025 Cẩm Thịnh Khu 1, and one of each in
    another ward (Bãi Cháy); Cửa Ông (2025) was formed from Cẩm Thịnh."""
    from safeward.reports.services import category_by_code, report_submit
    from tests.cameras.factories import make_camera
    from tests.community.factories import GroupFactory

    admin = personas["province_admin"]
    old, other = demo_units["cam_thinh_khu1"], demo_units["bai_chay_khu"]

    def report(unit: Any) -> Any:
        return report_submit(
            None,
            category=category_by_code("theft"),
            description="Mất xe máy trước cửa nhà",
            channel="web",
            unit=unit,
            occurred_at=_noon(_day_in(unit)),
        ).report

    def camera(unit: Any) -> Any:
        return make_camera(admin, unit, installed_on=_day_in(unit))

    return {
        "ward": demo_units["cua_ong"],
        "camera": (camera(old), camera(other)),
        "report": (report(old), report(other)),
        "group": (GroupFactory(unit=old), GroupFactory(unit=other)),
    }


def _day_in(unit: Any) -> dt.date:
    """A day a month before the unit was dissolved (or before today)."""
    return min(unit.valid_to or timezone.localdate(), timezone.localdate()) - dt.timedelta(30)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


API_OF = {"camera": "/api/v1/cameras/", "report": "/api/v1/reports/", "group": "/api/v1/groups/"}
PAGE_OF = {"camera": "/cameras/", "report": "/reports/", "group": "/community/groups/"}


@pytest.mark.parametrize("kind", sorted(API_OF))
def test_api_list_by_a_2025_ward_includes_its_predecessors_records(
    across_merger: dict[str, Any], personas: dict[str, Any], kind: str
) -> None:
    client = APIClient()
    client.force_authenticate(personas["province_admin"])
    response = client.get(API_OF[kind], {"unit": across_merger["ward"].pk, "page_size": 500})
    ids = {row["id"] for row in response.json()["results"]}
    inside, outside = across_merger[kind]
    assert inside.pk in ids and outside.pk not in ids


@pytest.mark.parametrize("kind", sorted(PAGE_OF))
def test_page_list_by_a_2025_ward_includes_its_predecessors_records(
    across_merger: dict[str, Any], client_for: Any, kind: str
) -> None:
    response = client_for("province_admin").get(PAGE_OF[kind], {"unit": across_merger["ward"].pk})
    # Table pages list rows of records; the rest list the records themselves.
    shown = [getattr(row, "record", row) for row in response.context["page"].object_list]
    inside, outside = across_merger[kind]
    assert response.status_code == 200, response
    assert inside in shown and outside not in shown
