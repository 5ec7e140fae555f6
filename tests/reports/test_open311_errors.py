"""Open311 answers every request in its own format: no 500, no HTML, well-formed XML."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeward.reports.services import open311_client_create

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def parsed(response: Any, fmt: str) -> Any:
    """The body read by a real parser; fails on HTML, a 5xx or a malformed document."""
    assert response.status_code < 500, response.content[:300]
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def error_description(response: Any, fmt: str) -> str:
    body = parsed(response, fmt)
    if fmt == "json":
        assert body[0]["code"] == response.status_code
        return str(body[0]["description"])
    assert body.tag == "errors"
    assert body.find("error/code").text == str(response.status_code)
    return str(body.find("error/description").text)


@pytest.fixture
def api_key(personas: dict[str, Any]) -> str:
    return open311_client_create(personas["province_admin"], name="Ứng dụng 311")[1]


dates = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?\Z"),
    st.sampled_from(["2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+99:00"]),
    st.sampled_from(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"]),
    st.text(max_size=30),
)
formats = st.sampled_from(["json", "xml"])
texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@FUZZ
@given(fmt=formats, start=dates, end=dates, status=texts, code=texts)
def test_request_searches_never_fail_outside_the_format(
    client: Client, fmt: str, start: str, end: str, status: str, code: str
) -> None:
    for path in ("requests", "servicerequestupdates"):
        response = client.get(
            f"{BASE}{path}.{fmt}",
            {"start_date": start, "end_date": end, "status": status, "service_code": code},
        )
        parsed(response, fmt)


@FUZZ
@given(fmt=formats, text=texts)
def test_echoed_input_keeps_the_xml_well_formed(client: Client, fmt: str, text: str) -> None:
    response = client.get(f"{BASE}services.{fmt}", {"jurisdiction_id": text or "x"})
    parsed(response, fmt)


@FUZZ
@given(
    fmt=formats,
    lat=st.one_of(st.floats(), st.text(max_size=12)),
    lon=st.one_of(st.floats(), st.text(max_size=12)),
    attribute=st.one_of(st.floats().map(repr), st.sampled_from(["1.5e999", "nan", "-inf"]), texts),
)
def test_created_requests_never_fail_outside_the_format(
    client: Client, api_key: str, fmt: str, lat: Any, lon: Any, attribute: str
) -> None:
    data = {
        "api_key": api_key,
        "service_code": "theft",
        "description": "Mất ví",
        "lat": str(lat),
        "long": str(lon),
        "attribute[value_vnd]": attribute,
    }
    parsed(client.post(f"{BASE}requests.{fmt}", data), fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "day", ["2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+99:00"]
)
def test_an_impossible_date_is_a_400_naming_the_parameter(
    client: Client, fmt: str, day: str
) -> None:
    response = client.get(f"{BASE}requests.{fmt}", {"start_date": day})
    assert response.status_code == 400
    assert "start_date" in error_description(response, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_year_9999_is_a_400(client: Client, fmt: str) -> None:
    response = client.get(f"{BASE}requests.{fmt}", {"end_date": "9999-12-31T23:59:59Z"})
    assert response.status_code == 400
    assert "end_date" in error_description(response, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_id_is_an_open311_404(client: Client, fmt: str) -> None:
    response = client.get(f"{BASE}requests/{'x' * 300}%20y.{fmt}")
    assert response.status_code == 404
    assert error_description(response, fmt)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_an_open311_405(client: Client, method: str) -> None:
    response = getattr(client, method)(f"{BASE}requests.json")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert error_description(response, "json")


def test_a_malformed_multipart_body_is_an_open311_400(client: Client) -> None:
    response = client.generic(
        "POST",
        f"{BASE}requests.xml",
        b"--x\r\nContent-Disposition: form-data\r\n\r\n",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert error_description(response, "xml")


def test_control_characters_are_dropped_from_xml_errors(client: Client) -> None:
    response = client.get(f"{BASE}services.xml?jurisdiction_id={quote(chr(1))}a")
    assert response.status_code == 404
    assert "\x01" not in error_description(response, "xml")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("name", ["jurisdiction_id", "service_code", "status"])
def test_a_nul_character_in_a_parameter_is_an_open311_400(
    client: Client, fmt: str, name: str
) -> None:
    response = client.get(f"{BASE}requests.{fmt}", {name: "a\x00b"})
    assert response.status_code == 400
    assert error_description(response, fmt)
