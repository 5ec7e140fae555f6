"""The API answers as its OpenAPI schema says: page bounds, filter values, ids that name nothing
in sight, file downloads and the methods each route offers."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from rest_framework.test import APIClient

from safeward.core.filters import ID_MAX
from safeward.core.uploads import VIDEO_EXTENSIONS

pytestmark = pytest.mark.django_db
MISSING = 987654321


@cache
def schema() -> dict[str, Any]:
    client = APIClient()
    return dict(client.get("/api/schema/?format=json").json())


def parameter(path: str, name: str, method: str = "get") -> dict[str, Any]:
    found = [p for p in schema()["paths"][path][method]["parameters"] if p["name"] == name]
    assert found, (path, name)
    return dict(found[0]["schema"])


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- pagination ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", " 2", "1e3", "null", "9" * 30])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400_naming_it(
    personas: dict[str, Any], value: str
) -> None:
    response = api(personas["ward_officer"]).get(
        "/api/v1/groups/", {"page": value}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == ["page"]
    assert body["detail"].startswith("Give the page number as a whole number from 1")


@pytest.mark.parametrize("value", ["0", "-5", "501", "0.5", "ten", "null"])
def test_a_page_size_outside_1_to_500_is_a_400_naming_it(
    personas: dict[str, Any], value: str
) -> None:
    response = api(personas["ward_officer"]).get(
        "/api/v1/groups/", {"page_size": value}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == ["page_size"]
    assert body["detail"] == "Give the page size as a whole number from 1 to 500."


def test_the_page_size_message_is_in_the_users_language(personas: dict[str, Any]) -> None:
    response = api(personas["ward_officer"]).get(
        "/api/v1/groups/", {"page_size": "0"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.json()["detail"] == "Hãy ghi số dòng mỗi trang là một số nguyên từ 1 đến 500."


def test_pages_within_the_bounds_answer_and_a_page_past_the_last_is_a_404(
    personas: dict[str, Any],
) -> None:
    client = api(personas["province_admin"])
    first = client.get("/api/v1/units/", {"page_size": "1", "page": "1"})
    assert first.status_code == 200 and len(first.json()["results"]) == 1
    last = first.json()["count"]
    final = client.get("/api/v1/units/", {"page_size": "1", "page": str(last)})
    assert final.status_code == 200 and len(final.json()["results"]) == 1
    past = client.get(
        "/api/v1/units/", {"page_size": "1", "page": str(last + 1)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert past.status_code == 404
    assert past.json()["detail"] == f"There is no page {last + 1}: the last page is {last}."


def test_the_schema_documents_the_page_bounds() -> None:
    assert parameter("/api/v1/groups/", "page") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**63 - 1,
    }
    assert parameter("/api/v1/groups/", "page_size") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
    }


def test_only_lists_are_documented_as_paged() -> None:
    operation = schema()["paths"]["/api/v1/units/{id}/composition/"]["get"]
    assert "page" not in {p["name"] for p in operation["parameters"]}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"


# --- filter values ------------------------------------------------------------------------------
def test_id_filters_are_documented_as_positive_64_bit_integers() -> None:
    unit = parameter("/api/v1/groups/", "unit")
    assert (unit["type"], unit["minimum"], unit["maximum"]) == ("integer", 1, ID_MAX)
    assignee = parameter("/api/v1/reports/", "assignee")
    assert {"type": "string", "enum": ["me"]} in assignee["oneOf"]


@pytest.mark.parametrize("value", ["0", "-1", str(ID_MAX + 1), "abc", "1.0"])
def test_a_malformed_id_filter_is_a_400(personas: dict[str, Any], value: str) -> None:
    response = api(personas["province_admin"]).get("/api/v1/groups/", {"unit": value})
    assert response.status_code == 400, (value, response.content)
    assert list(response.json()["errors"]) == ["unit"]


def test_a_well_formed_id_naming_no_visible_row_is_a_404_like_a_missing_record(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["ward_officer"])
    hidden = client.get("/api/v1/persons/", {"unit": demo_units["bai_chay"].pk})
    missing = client.get("/api/v1/persons/", {"unit": MISSING})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["code"] == "not_found"


def test_an_unknown_category_code_is_a_404(personas: dict[str, Any]) -> None:
    response = api(personas["ward_officer"]).get("/api/v1/reports/", {"category": "no-such"})
    assert response.status_code == 404, response.content
    assert list(response.json()["errors"]) == ["category"]


def test_a_malformed_value_with_a_missing_id_stays_a_400(personas: dict[str, Any]) -> None:
    response = api(personas["ward_officer"]).get(
        "/api/v1/groups/", {"unit": MISSING, "from": "2026-13-01"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"unit", "from"}


@pytest.mark.parametrize("value", ["20260101", "2026-1-1", "01/02/2026", "2026-02-30"])
def test_dates_are_only_accepted_as_yyyy_mm_dd(personas: dict[str, Any], value: str) -> None:
    response = api(personas["ward_officer"]).get("/api/v1/groups/", {"from": value})
    assert response.status_code == 400, (value, response.content)
    assert parameter("/api/v1/groups/", "from")["format"] == "date"


def test_a_yyyy_mm_dd_date_filter_is_accepted(personas: dict[str, Any]) -> None:
    response = api(personas["ward_officer"]).get("/api/v1/units/", {"valid_on": "2026-01-31"})
    assert response.status_code == 200, response.content


# --- ids in request bodies ------------------------------------------------------------------------
def test_the_schema_bounds_related_ids_and_marks_nullable_columns() -> None:
    components = schema()["components"]["schemas"]
    parent = components["AdminUnit"]["properties"]["parent"]
    assert parent["nullable"] is True and parent["minimum"] == 1 and parent["maximum"] == ID_MAX
    assert "nullable" not in components["AdminUnitRequest"]["properties"]["parent"]


def test_a_body_naming_a_record_out_of_sight_is_a_404_in_the_error_shape(
    personas: dict[str, Any],
) -> None:
    response = api(personas["ward_officer"]).post(
        "/api/v1/households/", {"unit": MISSING, "label": "Nhà ông Ba"}, format="json"
    )
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["code"] == "not_found" and list(body["errors"]) == ["unit"]
    assert body["detail"].startswith("unit: ")


# --- files and methods ----------------------------------------------------------------------------
def test_clip_and_minutes_downloads_are_documented_as_files() -> None:
    paths = schema()["paths"]
    clip = paths["/api/v1/evidence-items/{id}/download/"]["get"]["responses"]
    assert set(clip["200"]["content"]) == {*VIDEO_EXTENSIONS, "application/octet-stream"}
    assert all(
        media["schema"] == {"type": "string", "format": "binary"}
        for media in clip["200"]["content"].values()
    )
    assert set(clip["404"]["content"]) == {"application/json"}
    minutes = paths["/api/v1/evidence-items/{id}/minutes/"]["get"]["responses"]["200"]
    assert set(minutes["content"]) == {"application/pdf"}


def test_an_upload_is_documented_as_multipart_only() -> None:
    body = schema()["paths"]["/api/v1/session-materials/"]["post"]["requestBody"]
    assert set(body["content"]) == {"multipart/form-data"}
    other = schema()["paths"]["/api/v1/households/"]["post"]["requestBody"]
    assert set(other["content"]) == {"application/json"}


def test_a_switched_off_action_is_neither_answered_nor_advertised(
    personas: dict[str, Any],
) -> None:
    client = api(personas["province_admin"])
    options = client.options("/api/v1/evidence-items/")
    assert "POST" not in options["Allow"]
    assert client.post("/api/v1/evidence-items/", {}, format="json").status_code == 405
    assert "post" not in schema()["paths"]["/api/v1/evidence-items/"]


# --- state clashes --------------------------------------------------------------------------------
def test_a_duplicate_is_a_409_in_the_error_shape(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["province_admin"])
    body = {"unit": demo_units["cua_ong"].pk, "code": "lights", "label": "Đèn chiếu sáng"}
    assert client.post("/api/v1/fortress-criteria/", body, format="json").status_code == 201
    again = client.post("/api/v1/fortress-criteria/", body, format="json")
    assert again.status_code == 409, again.content
    assert again.json()["code"] == "conflict" and again.json()["detail"]


def test_deleting_a_unit_with_units_below_it_is_a_409(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    ward = demo_units["cua_ong"]
    response = api(personas["province_admin"]).delete(
        f"/api/v1/units/{ward.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "in_use"


# --- empty values and text ------------------------------------------------------------------------
def test_an_empty_optional_parameter_means_not_given_as_the_schema_says(
    personas: dict[str, Any],
) -> None:
    client = api(personas["ward_officer"])
    response = client.get("/api/v1/groups/", {"from": "", "unit": "", "page": "", "page_size": ""})
    assert response.status_code == 200, response.content
    found = schema()["paths"]["/api/v1/groups/"]["get"]["parameters"]
    assert all(p.get("allowEmptyValue") for p in found if not p.get("required"))


def test_text_with_a_nul_character_is_refused_and_the_schema_says_so(
    personas: dict[str, Any],
) -> None:
    response = api(personas["ward_officer"]).get("/api/v1/groups/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert parameter("/api/v1/groups/", "q")["pattern"] == "^[^\\x00]*$"
    label = schema()["components"]["schemas"]["HouseholdRequest"]["properties"]["label"]
    assert label["pattern"] == "^[^\\x00]*$"


def test_a_json_field_that_refuses_null_is_documented_as_any_value_but_null() -> None:
    days = schema()["components"]["schemas"]["ParticipantRequest"]["properties"]["days_attended"]
    assert {"type": "null"} not in days["anyOf"] and {"type": "array"} in days["anyOf"]


# --- rules beyond the schema ----------------------------------------------------------------------
def test_operations_list_the_rules_they_check_beyond_the_schema() -> None:
    paths = schema()["paths"]
    create = paths["/api/v1/cameras/"]["post"]
    assert any("neighbourhood or a ward" in rule for rule in create["x-domain-rules"])
    assert "neighbourhood or a ward" in create["responses"]["400"]["description"]
    # A list whose filters take a date range says the range must be in order.
    assert "`from` is not after `to`" in paths["/api/v1/groups/"]["get"]["x-domain-rules"]
    # A read with nothing to break lists nothing.
    assert "x-domain-rules" not in paths["/api/v1/groups/{id}/"]["get"]


def test_a_request_breaking_a_listed_rule_is_a_400_with_its_message(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    response = api(personas["province_admin"]).get(
        "/api/v1/groups/", {"from": "2026-02-01", "to": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["from"] == ["The start date is after the end date."]


def test_ranges_the_schema_can_state_are_in_it() -> None:
    components = schema()["components"]["schemas"]
    score = components["ModelEvaluationRequest"]["properties"]["score"]
    assert (score["minimum"], score["maximum"]) == (0, 100)
    members = components["HouseholdRequest"]["properties"]["members"]
    assert (members["minimum"], members["maximum"]) == (1, 60)


@pytest.mark.parametrize("value", [0, 1, "true", "1"])
def test_a_json_boolean_is_true_or_false_only(
    personas: dict[str, Any], demo_units: dict[str, Any], value: Any
) -> None:
    body = {"unit": demo_units["cua_ong"].pk, "code": "lights", "label": "Đèn", "active": value}
    response = api(personas["province_admin"]).post(
        "/api/v1/fortress-criteria/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert response.json()["active"] == ["Must be true or false."]


def test_a_form_body_still_sends_booleans_as_text(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    body = {"unit": demo_units["cua_ong"].pk, "code": "lights", "label": "Đèn", "active": "false"}
    response = api(personas["province_admin"]).post("/api/v1/fortress-criteria/", body)
    assert response.status_code == 201, response.content
    assert response.json()["active"] is False


def test_fields_withheld_from_some_readers_are_not_promised_in_the_answer() -> None:
    person = schema()["components"]["schemas"]["Person"]
    assert "full_name" not in person.get("required", [])
    assert "Withheld" in person["properties"]["full_name"]["description"]
    assert "full_name" in schema()["components"]["schemas"]["PersonRequest"]["required"]


def test_every_operation_documents_the_servers_refusal_of_an_over_long_request_line() -> None:
    for path, item in schema()["paths"].items():
        for method, operation in item.items():
            assert "414" in operation["responses"], (method, path)


@pytest.mark.parametrize("value", [0, 1.5, True, ["a"]])
def test_text_in_a_json_body_is_a_string_only(
    personas: dict[str, Any], demo_units: dict[str, Any], value: Any
) -> None:
    body = {"unit": demo_units["cua_ong"].pk, "code": "lights", "label": value}
    response = api(personas["province_admin"]).post(
        "/api/v1/fortress-criteria/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert response.json()["label"] == ["Not a valid string."]


def test_a_missing_record_named_beside_a_duplicate_is_a_404(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["province_admin"])
    body = {
        "unit": demo_units["cua_ong"].pk,
        "platform": "facebook",
        "kind": "post",
        "url": "https://example.org/p/1",
        "date": "2026-01-05",
        "topic": "crime",
    }
    first = client.post("/api/v1/social-posts/", body, format="json")
    assert first.status_code == 201, first.content
    assert client.post("/api/v1/social-posts/", body, format="json").status_code == 409
    again = client.post("/api/v1/social-posts/", {**body, "unit": ID_MAX - 1}, format="json")
    assert again.status_code == 404, again.content


def test_an_empty_string_is_no_reference_in_a_json_body(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    client = api(personas["province_admin"])
    body = {"unit": demo_units["cua_ong"].pk, "assignee": personas["ward_officer"].pk}
    created = client.post("/api/v1/report-routing-rules/", body, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/report-routing-rules/{created.json()['id']}/"
    refused = client.patch(url, {"category": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400, refused.content
    assert refused.json()["category"] == ["Not a valid reference: send null for none."]
    cleared = client.patch(url, {"category": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["category"] is None


@pytest.mark.parametrize("value", [None, "", "many"])
def test_a_number_sent_as_null_or_text_is_a_400_naming_the_field(
    personas: dict[str, Any], demo_units: dict[str, Any], value: Any
) -> None:
    body = {"unit": demo_units["cam_thinh_khu1_2025"].pk, "label": "Hộ ông An", "members": value}
    response = api(personas["province_admin"]).post(
        "/api/v1/households/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert "members" in response.json()


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("1e15", "107"), ("21", "1e15"), ("inf", "107"), ("nan", "107"), ("21", "-1e999")],
)
def test_a_coordinate_past_the_globe_or_not_finite_is_a_400(
    personas: dict[str, Any], lat: str, lon: str
) -> None:
    response = api(personas["ward_officer"]).get(
        "/api/v1/cameras/candidates/",
        {"lat": lat, "lon": lon, "when": "2026-01-05T10:00:00+07:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) & {"lat", "lon"}


def test_a_single_value_parameter_sent_twice_is_a_400_naming_it(personas: dict[str, Any]) -> None:
    client = api(personas["ward_officer"])
    response = client.get("/api/v1/reports/", {"open": ["1", "0"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["open"] == ["Give this value once, not several times."]
    assert client.get("/api/v1/reports/", {"open": "1"}).status_code == 200


# --- the document itself ------------------------------------------------------------------------
def _one_of_blank(node: Any, path: str = "") -> list[str]:
    """Places where a ``oneOf`` offers an empty string beside a branch that admits one too."""
    import re

    found: list[str] = []
    if isinstance(node, dict):
        branches = node.get("oneOf")
        if isinstance(branches, list) and {"type": "string", "maxLength": 0} in branches:
            for branch in branches:
                if branch == {"type": "string", "maxLength": 0} or not isinstance(branch, dict):
                    continue
                pattern = branch.get("pattern")
                admits_blank = (
                    "format" not in branch
                    and not branch.get("minLength")
                    and (pattern is None or re.search(pattern, "") is not None)
                )
                if admits_blank:
                    found.append(path)
        for key, value in node.items():
            found += _one_of_blank(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _one_of_blank(value, f"{path}/{index}")
    return found


def test_blank_text_matches_exactly_one_branch_of_the_document() -> None:
    """An empty note (``"findings": ""``) is accepted by the API; the document must accept
    it too, which a ``oneOf`` whose two branches both match "" does not."""
    assert _one_of_blank(schema()) == []
