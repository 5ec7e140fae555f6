"""The generic page views, exercised through a real list (community groups).

Each test drives the page as a user does (the test client, the real URLconf) and
checks what the page shows, not only its status.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from safeward.community.models import Group
from safeward.core.models import AuditEvent
from tests.community import factories as f


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def hood(demo_units: dict[str, Any]) -> Any:
    return demo_units["cam_thinh_khu1_2025"]


@pytest.fixture
def groups(hood: Any) -> list[Group]:
    return [
        f.GroupFactory(unit=hood, name="Tổ An ninh số 1", households_covered=40),
        f.GroupFactory(unit=hood, name="Tổ An ninh số 2", households_covered=25),
        f.GroupFactory(unit=hood, name='=HYPERLINK("x")', households_covered=5),
    ]


def rows_of(body: str) -> int:
    return body.count("<tr class=") + body.count("<tr>") - 1  # minus the heading row


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_list_shows_rows_totals_over_all_filtered_rows_and_sorts(
    client_for: Any, groups: list[Group]
) -> None:
    client = client_for("ward_officer")
    url = reverse("community:groups")
    body = client.get(url, {"per_page": 1, "sort": "-households_covered"}).content.decode()
    # One row on the page, the one covering most households; the total counts all three.
    assert "Tổ An ninh số 1" in body and "Tổ An ninh số 2" not in body
    assert "<tfoot>" in body and ">70<" in body
    ascending = client.get(url, {"per_page": 1, "sort": "households_covered"}).content.decode()
    assert "HYPERLINK" in ascending and "Tổ An ninh số 1" not in ascending


def test_unknown_sort_and_page_values_never_fail(client_for: Any, groups: list[Group]) -> None:
    client = client_for("ward_officer")
    url = reverse("community:groups")
    for params in (
        {"sort": "nope"},
        {"page": "x"},
        {"page": "999"},
        {"per_page": "-5"},
        {"per_page": "99999"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, (params, response.content[:300])
        assert "Tổ An ninh số 1" in response.content.decode()


def test_bad_filter_value_is_400_with_the_message_and_no_rows(
    client_for: Any, groups: list[Group]
) -> None:
    response = client_for("ward_officer").get(reverse("community:groups"), {"status": "gone"})
    body = response.content.decode()
    assert response.status_code == 400, body[:300]
    assert 'role="alert"' in body and "gone" in body
    assert "Tổ An ninh số 1" not in body


def test_export_is_what_the_filter_shows_formula_safe_and_audited(
    client_for: Any, groups: list[Group]
) -> None:
    client = client_for("ward_officer")
    url = reverse("community:groups")
    response = client.get(url, {"q": "An ninh", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:2] == ["Tên", "Loại"]  # the officer's language
    assert sorted(r[0] for r in rows[1:]) == ["Tổ An ninh số 1", "Tổ An ninh số 2"]
    everything = csv_rows(client.get(url, {"export": "csv"}))
    assert '\'=HYPERLINK("x")' in [r[0] for r in everything]
    event = AuditEvent.objects.filter(action="list.export").latest("pk")
    assert event.object_id == "community.group" and event.sensitive_read
    assert "q=An+ninh" in AuditEvent.objects.filter(action="list.export").earliest("pk").reason


def test_chosen_columns_persist_and_shape_the_export(client_for: Any, groups: list[Group]) -> None:
    client = client_for("ward_officer")
    url = reverse("community:groups")
    response = client.post(url + "?q=An", {"columns": ["households_covered"]})
    assert response.status_code == 302 and response["Location"].endswith("?q=An")
    body = client.get(url).content.decode()
    assert 'data-column="households_covered"' in body and 'data-column="name"' in body
    assert 'data-column="leader_name"' not in body
    header = csv_rows(client.get(url, {"export": "csv"}))[0]
    assert header == ["Tên", "Số hộ"]  # the name cannot be hidden
    client.post(url, {})  # an empty choice shows every column again
    assert 'data-column="leader_name"' in client.get(url).content.decode()


def test_list_without_the_permission_is_404(client_for: Any, groups: list[Group]) -> None:
    assert client_for("resident").get(reverse("community:groups")).status_code == 404


def test_form_domain_error_lands_on_its_field_and_nothing_is_written(
    client_for: Any, groups: list[Group]
) -> None:
    group = groups[0]
    client = client_for("ward_officer")
    url = reverse("community:group_edit", args=[group.pk])
    form = client.get(url).content.decode()
    assert 'value="Tổ An ninh số 1"' in form  # the form starts from the row
    response = client.post(
        url, {"name": "   ", "group_type": group.group_type, "households_covered": 3, "note": ""}
    )
    assert response.status_code == 400
    group.refresh_from_db()
    assert group.name == "Tổ An ninh số 1" and group.households_covered == 40


def test_successful_form_redirects_with_a_message(client_for: Any, groups: list[Group]) -> None:
    group = groups[1]
    client = client_for("ward_officer")
    url = reverse("community:group_edit", args=[group.pk])
    response = client.post(
        url,
        {"name": "Tổ An ninh số 2B", "group_type": group.group_type, "households_covered": 30},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("community:group", args=[group.pk])
    body = response.content.decode()
    assert "Tổ An ninh số 2B" in body and 'class="msg msg-success"' in body


def test_form_on_a_row_out_of_scope_is_404(client_for: Any, demo_units: dict[str, Any]) -> None:
    other = f.GroupFactory(unit=demo_units["bai_chay_khu"])
    client = client_for("ward_officer")
    url = reverse("community:group_edit", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404
    assert Group.objects.get(pk=other.pk).name == other.name
