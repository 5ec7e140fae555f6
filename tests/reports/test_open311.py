"""Open311 GeoReport v2 conformance, written from the specification (wiki.open311.org/GeoReport_v2)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from safeward.reports.models import Report
from safeward.reports.services import open311_client_create

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def api_key(personas: dict[str, Any]) -> str:
    return open311_client_create(personas["province_admin"], name="Ứng dụng 311")[1]


@pytest.fixture
def point(demo_units: dict[str, Any]) -> dict[str, str]:
    unit = demo_units["cam_thinh_khu1_2025"]
    return {"lat": str(unit.centroid_lat), "long": str(unit.centroid_lon)}


def xml(response: Any) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def post(client: Client, fmt: str, data: dict[str, str]) -> Any:
    return client.post(f"{BASE}requests.{fmt}", data)


def test_discovery_lists_the_v2_endpoint_in_both_formats(client: Client) -> None:
    body = client.get(f"{BASE}discovery.json").json()
    assert set(body) >= {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_json_is_an_array_with_spec_fields(client: Client) -> None:
    body = client.get(f"{BASE}services.json").json()
    assert isinstance(body, list) and len(body) >= 10
    theft = next(s for s in body if s["service_code"] == "theft")
    assert set(theft) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert theft["metadata"] is True and theft["type"] == "realtime"


def test_services_xml_wraps_each_service(client: Client) -> None:
    root = xml(client.get(f"{BASE}services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None and first.findtext("metadata") in ("true", "false")


def test_service_definition_lists_attributes_with_values(client: Client) -> None:
    body = client.get(f"{BASE}services/drugs.json").json()
    assert body["service_code"] == "drugs"
    attr = body["attributes"][0]
    assert attr["variable"] is True and attr["required"] is True
    assert attr["datatype"] == "singlevaluelist" and {"key", "name"} <= set(attr["values"][0])
    root = xml(client.get(f"{BASE}services/drugs.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/values/value/key") == "use"


def test_unknown_service_is_a_404_in_error_format(client: Client) -> None:
    response = client.get(f"{BASE}services/ufo.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404 and response.json()[0]["description"]
    root = xml(client.get(f"{BASE}services/ufo.xml"))
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_post_without_valid_api_key_is_a_403(client: Client, point: dict[str, str]) -> None:
    response = post(client, "json", {"service_code": "theft", "description": "x", **point})
    assert response.status_code == 403 and response.json()[0]["code"] == 403


def test_post_creates_a_request_and_answers_an_array(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    response = post(
        client,
        "json",
        {"api_key": api_key, "service_code": "theft", "description": "Mất ví", **point},
    )
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(tracking_code=body[0]["service_request_id"])
    assert report.channel == "open311" and report.anonymous


def test_post_xml_answers_service_requests(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    root = xml(
        post(
            client,
            "xml",
            {"api_key": api_key, "service_code": "noise", "description": "Ồn", **point},
        )
    )
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id", "").startswith("SW-")


def test_required_attribute_is_enforced_and_nothing_stored(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    before = Report.objects.count()
    response = post(
        client, "json", {"api_key": api_key, "service_code": "drugs", "description": "x", **point}
    )
    assert response.status_code == 400 and Report.objects.count() == before
    ok = post(
        client,
        "json",
        {
            "api_key": api_key,
            "service_code": "drugs",
            "description": "x",
            "attribute[activity]": "use",
            **point,
        },
    )
    assert ok.status_code == 200


def test_empty_parameter_counts_as_absent(client: Client, api_key: str) -> None:
    response = post(
        client,
        "json",
        {"api_key": api_key, "service_code": "theft", "description": "x", "lat": "", "long": ""},
    )
    assert response.status_code == 400
    assert "lat" in response.json()[0]["description"]


def test_malformed_coordinates_are_a_400(client: Client, api_key: str) -> None:
    response = post(
        client,
        "json",
        {
            "api_key": api_key,
            "service_code": "theft",
            "description": "x",
            "lat": "abc",
            "long": "1",
        },
    )
    assert response.status_code == 400


def _created(client: Client, api_key: str, point: dict[str, str]) -> str:
    body = post(
        client,
        "json",
        {"api_key": api_key, "service_code": "theft", "description": "Mất ví", **point},
    ).json()
    return str(body[0]["service_request_id"])


def test_request_detail_has_every_spec_field_but_no_text_or_point(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    body = client.get(f"{BASE}requests/{code}.json").json()
    assert isinstance(body, list) and list(body[0]) == REQUEST_FIELDS
    row = body[0]
    assert row["status"] == "open" and row["description"] is None and row["lat"] is None
    assert dt.datetime.fromisoformat(row["requested_datetime"]).utcoffset() == dt.timedelta(hours=7)
    root = xml(client.get(f"{BASE}requests/{code}.xml"))
    assert [child.tag for child in root.find("request")] == REQUEST_FIELDS


def test_token_resolves_to_the_request_id(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    body = client.get(f"{BASE}tokens/{code}.json").json()
    assert body == [{"service_request_id": code, "token": code}]


def test_requests_filters_by_status_and_service_code(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    open_rows = client.get(
        f"{BASE}requests.json", {"status": "open", "service_code": "theft"}
    ).json()
    assert code in {r["service_request_id"] for r in open_rows}
    closed = client.get(f"{BASE}requests.json", {"status": "closed"}).json()
    assert code not in {r["service_request_id"] for r in closed}
    other = client.get(f"{BASE}requests.json", {"service_code": "noise"}).json()
    assert code not in {r["service_request_id"] for r in other}


def test_requests_by_id_list_ignores_other_filters(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    rows = client.get(
        f"{BASE}requests.json", {"service_request_id": code, "service_code": "noise"}
    ).json()
    assert [r["service_request_id"] for r in rows] == [code]


def test_date_range_over_90_days_is_refused(client: Client) -> None:
    response = client.get(
        f"{BASE}requests.json",
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    )
    assert response.status_code == 400


def test_invalid_date_is_a_400_in_xml_error_format(client: Client) -> None:
    response = client.get(f"{BASE}requests.xml", {"start_date": "yesterday"})
    assert response.status_code == 400
    assert xml(response).findtext("error/code") == "400"


def test_date_window_excludes_older_requests(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    Report.objects.filter(tracking_code=code).update(
        received_at=timezone.now() - dt.timedelta(days=200)
    )
    rows = client.get(f"{BASE}requests.json").json()
    assert code not in {r["service_request_id"] for r in rows}


def test_service_request_updates_follow_status_changes(
    client: Client, api_key: str, point: dict[str, str], personas: dict[str, Any]
) -> None:
    from safeward.reports.services import report_resolve

    code = _created(client, api_key, point)
    report_resolve(
        personas["ward_officer"], Report.objects.get(tracking_code=code), outcome="unfounded"
    )
    rows = client.get(f"{BASE}servicerequestupdates.json").json()
    mine = [r for r in rows if r["service_request_id"] == code]
    assert [r["status"] for r in mine] == ["open", "closed"]
    assert set(mine[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }


def test_unknown_jurisdiction_is_a_404(client: Client) -> None:
    response = client.get(f"{BASE}services.json", {"jurisdiction_id": "atlantis"})
    assert response.status_code == 404


def test_existing_georeport_client_library_reads_unchanged(
    client: Client, api_key: str, point: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from georeport import georeport

    code = _created(client, api_key, point)

    class Via:
        """Routes the library's HTTP calls to the test client."""

        def get(self, url: str, params: dict[str, str] | None = None) -> Any:
            response = client.get(url.replace("http://testserver", ""), params or {})
            response.raise_for_status = lambda: None
            response.json = lambda: json.loads(response.content)
            return response

    monkeypatch.setattr(georeport, "requests", Via())
    for fmt in ("json", "xml"):
        lib = georeport.GeoReport("http://testserver/open311/v2", output_format=fmt)
        assert any(s["service_code"] == "theft" for s in lib.get_service_list())
        assert lib.get_service_definition("drugs")["service_code"] == "drugs"
        assert lib.get_service_request(code)["service_request_id"] == code


MEDIA = "https://media.example.org/photos/xe-may-1.jpg"


def test_media_url_is_stored_and_returned_by_request_detail_in_json_and_xml(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    body = {"api_key": api_key, "service_code": "theft", "description": "Mất xe", **point}
    code = post(client, "json", {**body, "media_url": MEDIA}).json()[0]["service_request_id"]
    assert Report.objects.get(tracking_code=code).media_url == MEDIA
    row = client.get(f"{BASE}requests/{code}.json").json()[0]
    assert row["media_url"] == MEDIA and list(row) == REQUEST_FIELDS
    root = xml(client.get(f"{BASE}requests/{code}.xml"))
    assert root.findtext("request/media_url") == MEDIA


def test_request_without_media_url_answers_an_empty_one(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    code = _created(client, api_key, point)
    assert client.get(f"{BASE}requests/{code}.json").json()[0]["media_url"] is None
    assert xml(client.get(f"{BASE}requests/{code}.xml")).findtext("request/media_url") == ""


@pytest.mark.parametrize(
    "bad",
    ["javascript:alert(1)", "ftp://media.example.org/a.jpg", "file:///etc/passwd", "not a url"],
)
def test_media_url_that_is_not_http_is_a_400_and_nothing_stored(
    client: Client, api_key: str, point: dict[str, str], bad: str
) -> None:
    before = Report.objects.count()
    body = {"api_key": api_key, "service_code": "theft", "description": "x", "media_url": bad}
    response = client.post(f"{BASE}requests.json", {**body, **point}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == [
        {
            "code": 400,
            "description": "media_url must be a web address starting with http:// or https://.",
        }
    ]
    assert Report.objects.count() == before


def test_overlong_media_url_is_a_400_in_xml_error_format(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    long_url = "https://media.example.org/" + "a" * 600
    body = {"api_key": api_key, "service_code": "theft", "description": "x", "media_url": long_url}
    root = xml(client.post(f"{BASE}requests.xml", {**body, **point}, HTTP_ACCEPT_LANGUAGE="en"))
    assert root.tag == "errors" and root.findtext("error/code") == "400"
    assert "media_url is too long" in root.findtext("error/description", "")


def test_media_url_error_is_in_the_callers_language(
    client: Client, api_key: str, point: dict[str, str]
) -> None:
    body = {"api_key": api_key, "service_code": "theft", "description": "x", "media_url": "x:y"}
    response = client.post(f"{BASE}requests.json", {**body, **point}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "http://" in response.json()[0]["description"]
    assert response.json()[0]["description"].startswith("media_url phải")


def test_staff_see_media_url_as_an_unverified_external_link(
    client: Client, api_key: str, point: dict[str, str], client_for: Any
) -> None:
    body = {"api_key": api_key, "service_code": "theft", "description": "x", "media_url": MEDIA}
    code = post(client, "json", {**body, **point}).json()[0]["service_request_id"]
    report = Report.objects.get(tracking_code=code)
    page = client_for("ward_officer").get(f"/reports/{report.pk}/").content.decode()
    assert f'href="{MEDIA}"' in page and 'rel="external nofollow noopener noreferrer"' in page
    assert 'id="media-url"' in page
