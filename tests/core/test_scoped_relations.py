"""Related ids in requests: one outside the caller's scope answers exactly like a missing one."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from safeward.accounts.models import Role, RoleAssignment, User
from safeward.core.api import ScopedRelatedField
from safeward.reports.models import Report
from safeward.reports.placing import clear_index
from safeward.reports.services import category_by_code, report_submit
from tests.cameras.factories import make_camera, make_campaign

pytestmark = pytest.mark.django_db
MISSING = 987654321


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def same_as_missing(client: APIClient, url: str, body: dict[str, Any], field: str, out: int) -> Any:
    """POST ``body`` with ``field`` set to ``out`` and to a missing id: the same 404 for both."""
    foreign = client.post(url, {**body, field: out}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    missing = client.post(url, {**body, field: MISSING}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert foreign.status_code == missing.status_code == 404, foreign.content
    text = foreign.content.decode().replace(f'\\"{out}\\"', f'\\"{MISSING}\\"')
    assert text == missing.content.decode()
    assert "does not exist" in text
    return foreign.json()


def bai_chay_report(demo_units: dict[str, Any]) -> Report:
    clear_index()
    unit = demo_units["bai_chay_khu"]
    return report_submit(
        None,
        category=category_by_code("theft"),
        description="Mất xe máy trước cửa nhà",
        channel="web",
        unit=unit,
    ).report


def test_assigning_an_officer_of_another_ward_reads_as_unknown(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    report = bai_chay_report(demo_units)
    client = api(personas["other_ward_officer"])
    url = f"/api/v1/reports/{report.pk}/assign/"
    body = same_as_missing(client, url, {}, "assignee", personas["ward_officer"].pk)
    assert "ward_officer" not in json.dumps(body)


def test_routing_rule_to_an_officer_of_another_ward_reads_as_unknown(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["other_ward_officer"])
    body = {"unit": demo_units["bai_chay"].pk, "team": ""}
    found = same_as_missing(
        client, "/api/v1/report-routing-rules/", body, "assignee", personas["ward_officer"].pk
    )
    assert "ward_officer" not in json.dumps(found)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/reports/", {"category": "theft", "description": "Mất xe đạp"}),
        ("/api/v1/report-routing-rules/", {"team": "Tổ 1"}),
    ],
)
def test_creating_in_a_unit_of_another_ward_reads_as_a_missing_unit(
    personas: dict[str, Any], demo_units: dict[str, Any], url: str, body: dict[str, Any]
) -> None:
    client = api(personas["other_ward_officer"])
    found = same_as_missing(client, url, body, "unit", demo_units["cua_ong"].pk)
    assert "Cửa Ông" not in json.dumps(found, ensure_ascii=False)
    assert list(found["errors"]) == ["unit"] and found["code"] == "not_found"


def test_unit_under_a_parent_of_another_ward_reads_as_a_missing_parent(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["other_ward_officer"])
    body = {"code": "test-khu-x", "name": "Khu X", "level": "neighbourhood"}
    found = same_as_missing(client, "/api/v1/units/", body, "parent", demo_units["cua_ong"].pk)
    assert "Cửa Ông" not in json.dumps(found, ensure_ascii=False)


def test_expense_on_a_camera_of_another_ward_reads_as_unknown(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    admin = personas["province_admin"]
    campaign = make_campaign(
        admin, demo_units["bai_chay_khu"], starts_on=dt.date(2025, 8, 1), ends_on=None
    )
    camera = make_camera(admin, demo_units["cam_thinh_khu1_2025"], installed_on=dt.date(2025, 8, 1))
    body = {"campaign": campaign.pk, "kind": "cameras", "amount_vnd": 1_000_000}
    body["date"] = "2025-08-02"
    client = api(personas["other_ward_officer"])
    same_as_missing(client, "/api/v1/expenses/", body, "camera", camera.pk)
    assert not campaign.expenses.exists()


def test_user_detail_lists_only_assignments_in_units_the_caller_sees(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    user = User.objects.create(username="two-wards")
    role = Role.objects.get(code="group_leader")
    RoleAssignment.objects.create(user=user, role=role, unit=demo_units["bai_chay_khu"])
    RoleAssignment.objects.create(user=user, role=role, unit=demo_units["cam_thinh_khu1_2025"])
    response = api(personas["other_ward_officer"]).get(f"/api/v1/users/{user.pk}/")
    assert response.status_code == 200, response
    units = [a["unit"] for a in response.json()["assignments"]]
    assert units == [demo_units["bai_chay_khu"].pk]
    assert "Cẩm Thịnh" not in response.content.decode()


def test_refusal_over_a_unit_out_of_sight_does_not_name_it(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    unit = demo_units["cam_thinh_khu1_2025"]
    body = {"category": "theft", "description": "Mất xe đạp"}
    body |= {"latitude": unit.centroid_lat, "longitude": unit.centroid_lon}
    clear_index()
    response = api(personas["other_ward_officer"]).post(
        "/api/v1/reports/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not do this here."}


def test_assign_form_offers_no_officer_the_user_cannot_see(
    personas: dict[str, Any], demo_units: dict[str, Any], client_for: Any
) -> None:
    report = bai_chay_report(demo_units)
    page = client_for("other_ward_officer").get(f"/reports/{report.pk}/")
    assert page.status_code == 200, page
    select = re.search(r'<select name="assignee".*?</select>', page.content.decode(), re.S)
    assert select is not None
    # The province administrator may handle any report but holds no assignment in Bãi Cháy.
    assert f'value="{personas["province_admin"].pk}"' not in select.group(0)
    assert f'value="{personas["other_ward_officer"].pk}"' in select.group(0)


FOREIGN_KEY_NAMES = {"unit", "camera", "assignee", "parent", "into", "user", "group", "person"}


def api_views() -> list[Any]:
    """The class of every view the API serves, found by walking the URL resolver."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Any] = []

    def walk(patterns: list[Any]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
                found.append(entry.callback.cls)

    walk(get_resolver().url_patterns)
    return found


def accepts_writes(view: Any) -> bool:
    methods = {"post", "put", "patch"} & set(view.http_method_names)
    return bool(methods) and any(hasattr(view, name) for name in ("create", "update", "post"))


def api_serializers() -> set[type[serializers.BaseSerializer]]:
    """Every view's serializer, and every serializer an app's API module defines."""
    import importlib
    import inspect

    from django.conf import settings

    found = {
        v.serializer_class
        for v in api_views()
        if getattr(v, "serializer_class", None) and accepts_writes(v)
    }
    for app in ["safeward.geo", "safeward.accounts", *settings.SAFEWARD_DOMAIN_APPS]:
        try:
            module = importlib.import_module(f"{app}.api.serializers")
        except ModuleNotFoundError:
            continue
        found |= {
            obj
            for _name, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, serializers.BaseSerializer) and obj.__module__ == module.__name__
        }
    return found


def writable_fields() -> list[tuple[str, str, serializers.Field]]:
    found = []
    for serializer_class in api_serializers():
        for name, field in serializer_class().get_fields().items():
            if not field.read_only:
                found.append((serializer_class.__name__, name, field))
    return found


def test_walk_finds_the_api_serializers() -> None:
    names = {cls.__name__ for cls in api_serializers()}
    assert {"ReportCreateSerializer", "AssignSerializer", "ExpenseSerializer"} <= names


# Scoped for changing only: every row is reference data any writer may name.
READ_BY_ALL = {
    # restrict() chooses the categories whose wording a province admin may change; the
    # catalogue itself is read by every intake form, routing rule and Open311 client.
    "reports.ServiceCategory",
}


def test_every_writable_foreign_key_of_the_api_is_scoped() -> None:
    unscoped = []
    for owner, name, field in writable_fields():
        related = getattr(field, "child_relation", field)
        if isinstance(related, serializers.RelatedField):
            model = related.queryset.model if related.queryset is not None else None
            # Reference data with no jurisdiction (roles, service categories) has no scope.
            if (
                not isinstance(related, ScopedRelatedField)
                and hasattr(model.objects, "restrict")
                and model._meta.label not in READ_BY_ALL
            ):
                unscoped.append(f"{owner}.{name}")
        elif name in FOREIGN_KEY_NAMES or name.endswith("_id"):
            unscoped.append(f"{owner}.{name}")
    assert unscoped == []
