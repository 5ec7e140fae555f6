"""The footage request list on the core list view: rows, counts and totals, 404 without permission."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safeward.evidence.models import FootageRequest

pytestmark = pytest.mark.django_db


def test_request_list_shows_the_request_its_report_and_the_cameras_asked(
    client_for: Any, footage_request: FootageRequest
) -> None:
    response = client_for("ward_officer").get(reverse("evidence:requests"))
    text = response.content.decode()
    assert response.status_code == 200 and footage_request.report.tracking_code in text
    assert reverse("evidence:request", args=[footage_request.pk]) in text
    assert footage_request.report.tracking_code in text
    [row] = [r.record for r in response.context["table"].page.object_list]
    assert row.pk == footage_request.pk
    assert row.target_count == footage_request.targets.count() >= 1 and row.clip_count == 0
    assert response.context["table"].totals == {"cameras": row.target_count, "clips": 0}
    assert "<tfoot>" in text


def test_request_list_filters_by_status_and_refuses_a_bad_one(
    client_for: Any, footage_request: FootageRequest
) -> None:
    client = client_for("ward_officer")
    url = reverse("evidence:requests")
    same = client.get(url, {"status": footage_request.status})
    assert reverse("evidence:request", args=[footage_request.pk]) in same.content.decode()
    other = client.get(url, {"status": "closed" if footage_request.status != "closed" else "new"})
    assert reverse("evidence:request", args=[footage_request.pk]) not in other.content.decode()
    bad = client.get(url, {"status": "nope"})
    assert bad.status_code == 400
    assert reverse("evidence:request", args=[footage_request.pk]) not in bad.content.decode()


def test_request_list_export_is_the_filtered_rows(
    client_for: Any, footage_request: FootageRequest
) -> None:
    response = client_for("ward_officer").get(reverse("evidence:requests"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert footage_request.report.tracking_code in text


@pytest.mark.parametrize("persona", ["outsider", "resident"])
def test_without_the_permission_every_request_page_is_missing(
    client_for: Any, footage_request: FootageRequest, persona: str
) -> None:
    client = client_for(persona)
    for url in (
        reverse("evidence:requests"),
        reverse("evidence:request", args=[footage_request.pk]),
        reverse("evidence:request_add", args=[footage_request.report_id]),
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)


def test_front_member_who_may_not_ask_gets_404_on_the_request_form(
    client_for: Any, footage_request: FootageRequest
) -> None:
    client = client_for("front_member")
    listed = client.get(reverse("evidence:requests"))
    assert (
        listed.status_code == 200
        and footage_request.report.tracking_code in listed.content.decode()
    )
    response = client.get(reverse("evidence:request_add", args=[footage_request.report_id]))
    assert response.status_code == 404
