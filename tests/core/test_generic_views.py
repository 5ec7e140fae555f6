"""The generic page views, exercised through a real list (community groups).

Each test drives the page as a user does (the test client, the real URLconf) and
checks what the page shows, not only its status.
"""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation

from safeward.accounts.models import ApiToken
from safeward.accounts.services import token_create
from safeward.community import services as community
from safeward.community.models import Group
from safeward.core.errors import DomainError
from safeward.core.models import AuditEvent
from safeward.core.views import (
    NamedActionView,
    ObjectView,
    PanelActionView,
    ScopedPageView,
    ServiceFormView,
)
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


# --- hooks, on small views declared here and called as the URLconf would ---------------------


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def _rename(actor: Any, group: Group, *, name: str) -> Group:
    """``group_update`` with a refusal of its own for names the tests pick."""
    if name == "deny":
        raise PermissionDenied("Not you.")
    if name == "elsewhere":
        raise DomainError("Not in this ward.", field="where")
    return community.group_update(actor, group, name=name)


class RenamePanel(PanelActionView):
    queryset = Group.objects.select_related("unit")
    form_class = NameForm
    service = _rename
    panel_template = page_template = "web/object_form.html"
    form_context_name = "form"
    back_url = "community:group"

    def get_panel_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"object": obj, "form": NameForm(), "title": str(obj), "back": "/"}


class RenameOrBack(RenamePanel):
    refused_redirect = True


class RenameMapped(ServiceFormView):
    queryset = Group.objects.select_related("unit")
    action = "change"
    form_class = NameForm
    service = _rename
    error_fields: ClassVar[dict[str, str]] = {"where": "name"}

    def get_success_message(self, request: HttpRequest, result: Any) -> str:
        return ""


class OnlyForOutsiders(ScopedPageView):
    permission = "community.view_group"
    template_name = "web/object_form.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.username == "outsider"


class OwnTokens(ObjectView):
    queryset = ApiToken.objects.all()
    owner_field = "user"
    template_name = "web/object_form.html"


@pytest.fixture
def rendered() -> Any:
    """The contexts the views above render their page with (not its included parts)."""
    seen: list[dict[str, Any]] = []

    def record(sender: Any, context: Any, **kwargs: Any) -> None:
        if getattr(sender, "name", "") == "web/object_form.html":
            seen.append(context.flatten())

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def call(view: Any, user: Any, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    htmx = kwargs.pop("htmx", False)
    method = "post" if data is not None else "get"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request = getattr(RequestFactory(), method)("/x/", data or {}, **headers)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return view.as_view()(request, **kwargs)


def test_panel_action_done_gives_htmx_the_panel_and_a_plain_form_a_redirect(
    personas: dict[str, Any], groups: list[Group], rendered: list[dict[str, Any]]
) -> None:
    group, officer = groups[0], personas["ward_officer"]
    panel = call(RenamePanel, officer, {"name": "Tổ mới"}, htmx=True, pk=group.pk)
    assert panel.status_code == 200 and rendered[-1]["object"].name == "Tổ mới"
    plain = call(RenamePanel, officer, {"name": "Tổ mới hơn"}, pk=group.pk)
    assert plain.status_code == 302
    assert plain["Location"] == reverse("community:group", args=[group.pk])
    group.refresh_from_db()
    assert group.name == "Tổ mới hơn"


def test_panel_action_refusal_lands_on_the_field_the_panel_shows_else_above_it(
    personas: dict[str, Any], groups: list[Group], rendered: list[dict[str, Any]]
) -> None:
    group, officer = groups[0], personas["ward_officer"]
    on_field = call(RenamePanel, officer, {"name": "  "}, htmx=True, pk=group.pk)
    assert on_field.status_code == 400
    assert rendered[-1]["form"].errors["name"] and "action_error" not in rendered[-1]
    above = call(RenamePanel, officer, {"name": "elsewhere"}, pk=group.pk)
    assert above.status_code == 400 and rendered[-1]["action_error"] == "Not in this ward."
    denied = call(RenamePanel, officer, {"name": "deny"}, htmx=True, pk=group.pk)
    assert denied.status_code == 403 and rendered[-1]["action_error"] == "Not you."
    group.refresh_from_db()
    assert group.name == "Tổ An ninh số 1"


def test_panel_action_refused_redirect_goes_back_with_the_message(
    personas: dict[str, Any], groups: list[Group]
) -> None:
    request = RequestFactory().post("/x/", {"name": "elsewhere"})
    request.user, request.session = personas["ward_officer"], SessionStore()
    request._messages = FallbackStorage(request)
    response = RenameOrBack.as_view()(request, pk=groups[0].pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("community:group", args=[groups[0].pk])
    assert [str(m) for m in request._messages] == ["Not in this ward."]


def test_panel_action_answers_only_posts_and_404_out_of_scope(
    personas: dict[str, Any], demo_units: dict[str, Any]
) -> None:
    other = f.GroupFactory(unit=demo_units["bai_chay_khu"])
    officer = personas["ward_officer"]
    assert call(RenamePanel, officer, pk=other.pk).status_code == 405
    with pytest.raises(Http404):
        call(RenamePanel, officer, {"name": "x"}, pk=other.pk)


def test_named_action_routes_by_name_and_an_unknown_name_is_404(
    personas: dict[str, Any], groups: list[Group]
) -> None:
    view = NamedActionView.as_view(actions={"rename": RenamePanel})
    request = RequestFactory().post("/x/", {"name": "Tổ đổi tên"})
    request.user, request.session = personas["ward_officer"], SessionStore()
    assert view(request, pk=groups[0].pk, name="rename").status_code == 302
    assert Group.objects.get(pk=groups[0].pk).name == "Tổ đổi tên"
    with pytest.raises(Http404):
        view(request, pk=groups[0].pk, name="delete")


def test_error_fields_put_the_services_field_on_the_forms(
    personas: dict[str, Any], groups: list[Group], rendered: list[dict[str, Any]]
) -> None:
    response = call(RenameMapped, personas["ward_officer"], {"name": "elsewhere"}, pk=groups[0].pk)
    assert response.status_code == 400
    assert rendered[-1]["form"].errors["name"] == ["Not in this ward."]


def test_an_empty_success_message_shows_none(personas: dict[str, Any], groups: list[Group]) -> None:
    request = RequestFactory().post("/x/", {"name": "Tổ lặng lẽ"})
    request.user, request.session = personas["ward_officer"], SessionStore()
    request._messages = FallbackStorage(request)
    assert RenameMapped.as_view()(request, pk=groups[0].pk).status_code == 302
    assert list(request._messages) == []


def test_has_permission_decides_who_opens_the_page(personas: dict[str, Any]) -> None:
    with pytest.raises(Http404):
        call(OnlyForOutsiders, personas["province_admin"])
    assert call(OnlyForOutsiders, personas["outsider"]).status_code == 200


def test_owner_field_shows_the_users_own_rows_only(
    personas: dict[str, Any], rendered: list[dict[str, Any]]
) -> None:
    mine, _raw = token_create(personas["outsider"], name="mine")
    theirs, _raw = token_create(personas["ward_officer"], name="theirs")
    assert call(OwnTokens, personas["outsider"], pk=mine.pk).status_code == 200
    assert rendered[-1]["object"] == mine
    with pytest.raises(Http404):
        call(OwnTokens, personas["outsider"], pk=theirs.pk)
