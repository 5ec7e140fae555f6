"""The staff report list on the core list view: rows, overdue marks, export, 404 without permission."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_report_list_shows_each_report_with_its_category_place_and_assignee(
    client_for: Any, submit: Any
) -> None:
    report = submit().report
    response = client_for("ward_officer").get(reverse("reports:list"))
    text = response.content.decode()
    assert response.status_code == 200 and reverse("reports:detail", args=[report.pk]) in text
    assert report.tracking_code in text and report.category.name in text
    assert report.unit.name in text
    assert 'data-column="assignee"' in text


def test_report_list_sorts_by_code_and_exports_the_filtered_rows(
    client_for: Any, submit: Any
) -> None:
    first, second = submit().report, submit().report
    client = client_for("ward_officer")
    body = client.get(reverse("reports:list"), {"sort": "-tracking_code", "per_page": 1})
    [row] = [r.record for r in body.context["page"].object_list]
    assert row == max(first, second, key=lambda r: r.tracking_code)
    export = client.get(reverse("reports:list"), {"export": "csv", "q": first.tracking_code})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert first.tracking_code in text and second.tracking_code not in text


def test_a_bad_filter_value_is_400_with_no_rows(client_for: Any, submit: Any) -> None:
    report = submit().report
    response = client_for("ward_officer").get(reverse("reports:list"), {"overdue": "maybe"})
    assert response.status_code == 400
    assert reverse("reports:detail", args=[report.pk]) not in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "resident"])
def test_without_the_permission_the_staff_report_pages_are_missing(
    client_for: Any, submit: Any, persona: str
) -> None:
    report = submit().report
    client = client_for(persona)
    for url in (
        reverse("reports:list"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:map"),
        reverse("reports:new"),
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
