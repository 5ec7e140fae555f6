"""The resident form's JSON answers, sent by the page's script with an ``Idempotency-Key``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from safeward.core.models import AuditEvent
from safeward.reports.models import Report

pytestmark = pytest.mark.django_db
URL = "/reports/submit/"


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    cache.clear()


def form_data(demo_units: dict[str, Any], **extra: Any) -> dict[str, Any]:
    unit = demo_units["cam_thinh_khu1_2025"]
    return {
        "category": "theft",
        "description": "Xe đạp bị lấy mất ở chợ",
        "latitude": unit.centroid_lat,
        "longitude": unit.centroid_lon,
        "anonymous": "on",
        **extra,
    }


def send(client: Client, data: dict[str, Any], key: str | None = None, lang: str = "en") -> Any:
    headers: dict[str, str] = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": lang}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, data, **headers)


def secret_works(code: str, secret: str) -> bool:
    page = Client().post("/reports/track/", {"code": code, "secret": secret}, follow=True)
    return page.status_code == 200 and bool(page.context["proven"])


def test_a_new_draft_lands_with_code_and_a_secret_that_works(
    client: Client, demo_units: dict[str, Any]
) -> None:
    response = send(client, form_data(demo_units), str(uuid.uuid4()))
    assert response.status_code == 201
    body = response.json()
    assert body["track_url"] == f"/reports/track/{body['tracking_code']}/"
    assert Report.objects.get().tracking_code == body["tracking_code"]
    assert secret_works(body["tracking_code"], body["secret"])


def test_a_replayed_key_gives_the_same_report_with_a_new_secret(
    client: Client, demo_units: dict[str, Any]
) -> None:
    key = str(uuid.uuid4())
    first = send(client, form_data(demo_units), key).json()
    again = send(client, form_data(demo_units), key.upper())
    body = again.json()
    assert again.status_code == 200 and body["tracking_code"], body
    assert body["tracking_code"] == first["tracking_code"]
    assert Report.objects.count() == 1
    assert body["secret"] != first["secret"]
    assert secret_works(body["tracking_code"], body["secret"])
    assert not secret_works(first["tracking_code"], first["secret"])
    event = AuditEvent.objects.filter(action="reports.secret_reissued").get()
    assert event.object_id == str(Report.objects.get().pk)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "This draft's key is not valid."),
        ("vi", "Mã của bản nháp này không hợp lệ."),
    ],
)
def test_a_key_that_is_not_a_uuid_is_refused_with_a_message(
    client: Client, demo_units: dict[str, Any], lang: str, text: str
) -> None:
    response = send(client, form_data(demo_units), "not-a-uuid", lang=lang)
    assert response.status_code == 400
    assert text in response.json()["errors"]["__all__"][0]
    assert not Report.objects.exists()


def test_an_invalid_form_answers_with_field_messages(
    client: Client, demo_units: dict[str, Any]
) -> None:
    response = send(client, form_data(demo_units, category="", description=""), str(uuid.uuid4()))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"category", "description"}
    assert all(isinstance(m, str) and m for m in errors["category"] + errors["description"])
    assert not Report.objects.exists()


def test_too_many_sends_answer_429_with_retry_after(
    client: Client, demo_units: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFEWARD_REPORTS_RATE_PER_IP", "2/hour")
    for _i in range(2):
        assert send(client, form_data(demo_units), str(uuid.uuid4())).status_code == 201
    response = send(client, form_data(demo_units), str(uuid.uuid4()))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["errors"]["__all__"]
    assert Report.objects.count() == 2


def test_without_a_key_each_send_is_its_own_report(
    client: Client, demo_units: dict[str, Any]
) -> None:
    codes = {send(client, form_data(demo_units)).json()["tracking_code"] for _i in range(2)}
    assert len(codes) == 2 and Report.objects.count() == 2


def test_the_plain_form_still_redirects_to_the_code_page(
    client: Client, demo_units: dict[str, Any]
) -> None:
    response = client.post(URL, form_data(demo_units), HTTP_IDEMPOTENCY_KEY="not-a-uuid")
    assert response.status_code == 302 and Report.objects.count() == 1
